import type { Stream } from '@anthropic-ai/sdk/core/streaming';
import type { MessageCreateParamsStreaming, RawMessageStreamEvent, Tool } from '@anthropic-ai/sdk/resources/messages';
import { z } from 'zod';
import type { ChatRequest, ChatStreamEvent, PluginContext } from '../../sdk/index.ts';
import { createClient } from './client.ts';
import { AnthropicProviderError, readableError } from './errors.ts';
import { toAnthropicPrompt } from './messages.ts';
import { type AnthropicParameters, anthropicParameters, DEFAULT_MAX_TOKENS } from './parameters.ts';
import type { AnthropicSettings } from './settings.ts';
import { AnthropicStreamMapper } from './stream-events.ts';

/** Streams one Claude reply through the Messages API (`POST /v1/messages` with `stream: true`). */
export async function* anthropicChat(
  ctx: PluginContext<AnthropicSettings>,
  request: ChatRequest,
): AsyncIterable<ChatStreamEvent> {
  if (ctx.signal.aborted) return;
  const body = requestBody(request);
  const client = await createClient(ctx);
  let stream: Stream<RawMessageStreamEvent>;
  try {
    // The SDK retries 408/409/429/5xx here, before any event is read; ctx.signal also cancels its backoff sleeps.
    stream = await client.messages.create(body, { signal: ctx.signal });
  } catch (error) {
    if (ctx.signal.aborted) return;
    throw await readableError(error, ctx.settings);
  }
  const mapper = new AnthropicStreamMapper(request.responseFormat ? body.tool_choice : undefined);
  const events = stream[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await nextUnlessAborted(events, ctx.signal);
      if (next === ABORTED || next.done) break;
      for (const event of mapper.map(next.value)) {
        if (ctx.signal.aborted) return;
        yield event;
      }
    }
  } catch (error) {
    if (ctx.signal.aborted) return;
    throw await readableError(error, ctx.settings);
  } finally {
    // Closes the HTTP response when the turn ends early (abort, or the caller stops iterating): no tokens are
    // generated for a reader that is gone. A no-op once the stream has been read to its end.
    stream.controller.abort();
  }
  if (ctx.signal.aborted) return;
  if (!mapper.done) {
    throw new AnthropicProviderError('The Claude API closed the stream before the reply was complete.');
  }
}

/** The Messages API request for `request`; throws a readable error if its parameters do not fit the model. */
export function requestBody(request: ChatRequest): MessageCreateParamsStreaming {
  const parsed = anthropicParameters(request.model).safeParse(request.parameters);
  if (!parsed.success) {
    throw new AnthropicProviderError(`Invalid parameters for ${request.model}: ${z.prettifyError(parsed.error)}`);
  }
  const parameters: AnthropicParameters = parsed.data;
  const prompt = toAnthropicPrompt(request.system, request.messages, request.tools);
  const body: MessageCreateParamsStreaming = {
    model: request.model,
    max_tokens: parameters.maxTokens ?? DEFAULT_MAX_TOKENS,
    messages: prompt.messages,
    stream: true,
  };
  if (prompt.system !== undefined) body.system = prompt.system;
  if (prompt.tools !== undefined) body.tools = prompt.tools;
  if (parameters.stopSequences?.length) body.stop_sequences = parameters.stopSequences;
  if (parameters.effort !== undefined) body.output_config = { effort: parameters.effort };
  if (request.responseFormat) {
    // Structured output as a forced tool call (platform.claude.com/docs/en/agents-and-tools/tool-use/
    // implement-tool-use#json-mode): the tool's input is the answer, streamed back as the reply's text.
    const tool = structuredTool(request.responseFormat);
    body.tools = [...(body.tools ?? []), tool];
    body.tool_choice = { type: 'tool', name: tool.name };
  }
  return body;
}

/** The forced tool standing for `responseFormat`; its name follows the API's tool-name rule. */
function structuredTool(format: NonNullable<ChatRequest['responseFormat']>): Tool {
  const name = format.name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'response';
  return {
    name,
    description: `Give your answer as the input of this tool (${format.name}).`,
    input_schema: { ...format.schema, type: 'object' },
  };
}

const ABORTED = Symbol('aborted');

/**
 * The stream's next event, or ABORTED as soon as the signal fires. The SDK also aborts its fetch on the signal, but
 * racing here makes cancelling prompt even if the fetch implementation is slow to give up a pending read.
 */
function nextUnlessAborted<T>(
  events: AsyncIterator<T>,
  signal: AbortSignal,
): Promise<IteratorResult<T> | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    events.next().then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

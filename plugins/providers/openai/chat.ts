import type { ChatCompletionChunk } from 'openai/resources/chat';
import type { ChatRequest, ChatStreamEvent, FinishReason, JsonObject, PluginContext } from '../../sdk/index.ts';
import { type ClientSettings, createClient } from './client.ts';
import { readableError } from './errors.ts';
import { toCompletionParams } from './request.ts';
import { ToolCallAssembler } from './tool-calls.ts';

/** How a server's Chat Completions differ from OpenAI's: the provider id it reports and renamed body fields. */
export interface Dialect {
  provider: string;
  /** Body fields the server names differently, as `{ openaiName: serverName }` (Mistral: `seed` → `random_seed`). */
  rename?: Readonly<Record<string, string>>;
}

const OPENAI_DIALECT: Dialect = { provider: 'openai' };

/**
 * One streamed Chat Completions call. Text deltas pass straight through; tool calls are held until the choice
 * finishes, so each is emitted once with its whole arguments JSON; usage arrives in the last chunk (choices empty),
 * so the finish event is emitted after the stream ends. On abort it stops quietly and emits nothing more.
 */
export async function* openaiChat(
  ctx: PluginContext<ClientSettings>,
  request: ChatRequest,
  dialect: Dialect = OPENAI_DIALECT,
): AsyncIterable<ChatStreamEvent> {
  if (ctx.signal.aborted) return;
  const client = await createClient(ctx);
  const toolCalls = new ToolCallAssembler();
  let finish: FinishReason | undefined;
  let described = false;
  try {
    const params = toCompletionParams(request, ctx.settings.baseUrl, dialect.rename);
    const stream = await client.chat.completions.create(params, { signal: ctx.signal });
    for await (const chunk of stream) {
      if (ctx.signal.aborted) break;
      if (!described) {
        described = true;
        yield { type: 'metadata', metadata: describe(chunk, dialect.provider) };
      }
      // Only one choice is asked for (n defaults to 1); the usage chunk has none.
      const choice = chunk.choices.find((candidate) => candidate.index === 0);
      const text = (choice?.delta.content ?? '') + (choice?.delta.refusal ?? '');
      if (text !== '') yield { type: 'text-delta', text };
      if (choice?.delta.tool_calls) toolCalls.add(choice.delta.tool_calls);
      if (choice?.finish_reason) {
        finish = finishReason(choice.finish_reason);
        // A reply cut by the length limit or the content filter may hold half-written arguments: drop them.
        const calls = finish === 'length' || finish === 'content_filter' ? [] : toolCalls.take();
        for (const call of calls) yield { type: 'tool-call', call };
        // Some compatible servers (older Ollama) report `stop` after tool calls; Parley runs tools on tool_calls.
        if (calls.length > 0) finish = 'tool_calls';
      }
      if (chunk.usage) {
        yield { type: 'usage', inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
      }
    }
  } catch (error) {
    if (ctx.signal.aborted) return; // cancelled: the SDK's abort error is the expected way out, not a failure
    throw await readableError(error, ctx.settings);
  }
  if (ctx.signal.aborted) return;
  if (finish === undefined) {
    throw await readableError(new Error('the stream ended before the reply finished'), ctx.settings);
  }
  yield { type: 'finish', reason: finish };
}

function describe(chunk: ChatCompletionChunk, provider: string): JsonObject {
  const metadata: JsonObject = { provider, model: chunk.model };
  if (chunk.system_fingerprint) metadata.systemFingerprint = chunk.system_fingerprint;
  return metadata;
}

/** The API's finish reasons, plus `function_call` from the deprecated functions API and unknown server values. */
function finishReason(reason: string): FinishReason {
  switch (reason) {
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return reason;
    case 'function_call':
      return 'tool_calls';
    default:
      return 'stop';
  }
}

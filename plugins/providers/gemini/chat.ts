import type { ChatRequest, ChatStreamEvent, PluginContext } from '../../sdk/index.ts';
import { createGeminiClient } from './client.ts';
import { GeminiError, readableError } from './errors.ts';
import { toGeminiPrompt } from './messages.ts';
import { toGenerationConfig } from './parameters.ts';
import type { RetryLog } from './retry.ts';
import type { GeminiSettings } from './settings.ts';
import { StreamMapper } from './stream.ts';

/**
 * One reply from Gemini: `models.generateContentStream` (POST …/models/{model}:streamGenerateContent?alt=sse),
 * its chunks mapped to Parley's events. When `ctx.signal` aborts, the stream ends quietly with no more text.
 */
export async function* geminiChat(
  ctx: PluginContext<GeminiSettings>,
  request: ChatRequest,
): AsyncIterable<ChatStreamEvent> {
  if (ctx.signal.aborted) return;
  const log: RetryLog = { retries: 0 };
  const client = await createGeminiClient(ctx, log);
  const prompt = toGeminiPrompt(request);
  // Aborted on the caller's signal, and also when this generator ends early (the consumer stopped reading),
  // so the HTTP stream is never left open.
  const streamAbort = new AbortController();
  const onAbort = () => streamAbort.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const mapper = new StreamMapper();
  try {
    const stream = await client.models.generateContentStream({
      model: request.model,
      contents: prompt.contents,
      config: {
        ...toGenerationConfig(request.parameters),
        ...(prompt.systemInstruction ? { systemInstruction: prompt.systemInstruction } : {}),
        ...(prompt.tools ? { tools: prompt.tools } : {}),
        // Structured output (ai.google.dev/gemini-api/docs/structured-output): `responseJsonSchema` takes JSON
        // Schema as written, where the older `responseSchema` takes only an OpenAPI subset.
        ...(request.responseFormat
          ? { responseMimeType: 'application/json', responseJsonSchema: request.responseFormat.schema }
          : {}),
        abortSignal: streamAbort.signal,
        // Parley runs the tools itself, and handles a cut-off reply itself: no SDK-driven extra requests.
        automaticFunctionCalling: { disable: true },
        automaticContinuation: false,
      },
    });
    for await (const chunk of stream) {
      if (ctx.signal.aborted) return;
      yield* mapper.push(chunk);
    }
  } catch (error) {
    if (ctx.signal.aborted) return;
    throw await readableError(error, ctx.settings.apiKey, log);
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    streamAbort.abort();
  }
  if (ctx.signal.aborted) return;
  if (!mapper.finished) throw new GeminiError('Gemini ended the stream before the reply was finished; try again.');
  yield* mapper.end();
}

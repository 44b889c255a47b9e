import type { EmbedContext, EmbedRequest, EmbedResult } from '../../sdk/index.ts';
import { EmbedderError, retryAfterMs } from '../../sdk/index.ts';
import { wireModel } from './models.ts';
import { openaiSdk } from './sdk.ts';
import type { OpenAIEmbedderSettings } from './settings.ts';

/**
 * `POST /embeddings` through the official SDK. `encoding_format: 'float'` explicitly: the SDK otherwise asks for base64
 * (and decodes it), which several OpenAI-compatible servers do not implement. One attempt (`maxRetries: 0`): ingestion
 * owns backing off, and a retryable EmbedderError tells it how long the API asked it to wait.
 */
export async function embedWithOpenAI(
  ctx: EmbedContext<OpenAIEmbedderSettings>,
  request: EmbedRequest,
): Promise<EmbedResult> {
  const sdk = await openaiSdk();
  const client = new sdk.default({
    apiKey: ctx.settings.apiKey,
    baseURL: ctx.settings.baseUrl,
    organization: null,
    project: null,
    maxRetries: 0,
    fetch: ctx.fetch,
    logLevel: 'off',
  });
  const { model, dimensions } = wireModel(request.model);
  try {
    const response = await client.embeddings.create(
      {
        model,
        input: [...request.inputs],
        encoding_format: 'float',
        ...(dimensions !== undefined && { dimensions }),
      },
      { signal: ctx.signal },
    );
    const vectors: Float32Array[] = [];
    for (const item of response.data) vectors[item.index] = Float32Array.from(item.embedding);
    const tokens = response.usage?.prompt_tokens;
    return { vectors, ...(typeof tokens === 'number' && tokens > 0 && { tokens }) };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    throw embedderError(sdk, error, ctx);
  }
}

// The statuses OpenAI's own SDK retries (request timeout, lock timeout, rate limit, server errors).
const transient = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500;

function embedderError(
  { APIConnectionError, APIError }: typeof import('openai'),
  error: unknown,
  ctx: EmbedContext<OpenAIEmbedderSettings>,
): EmbedderError {
  const scrub = (text: string) => redact(text, ctx.settings.apiKey);
  const host = hostOf(ctx.settings.baseUrl);
  if (error instanceof APIConnectionError) {
    return new EmbedderError(scrub(`Could not reach the embeddings API at ${host}: ${error.message}`), true);
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const detail = apiMessage(error.error) ?? error.message;
    const retryable = transient(error.status);
    const wait = retryable ? retryAfterMs(error.headers?.get('retry-after'), ctx.clock.now()) : undefined;
    return new EmbedderError(scrub(`Embeddings API at ${host} answered ${error.status}: ${detail}`), retryable, wait);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new EmbedderError(scrub(`Embedding at ${host} failed: ${message}`));
}

function apiMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('message' in body)) return undefined;
  return typeof body.message === 'string' ? body.message : undefined;
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return 'the configured URL';
  }
}

/** Drops the key, and the API's quotation of it ("Incorrect API key provided: sk-abc*****xyz"), from `text`. */
function redact(text: string, apiKey: string): string {
  const clean = text.replace(/(Incorrect API key provided): \S+/g, '$1');
  return apiKey.length >= 8 ? clean.split(apiKey).join('[redacted]') : clean;
}

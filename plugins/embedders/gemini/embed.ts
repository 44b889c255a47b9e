import type { EmbedContext, EmbedRequest, EmbedResult } from '../../sdk/index.ts';
import { EmbedderError, retryAfterMs } from '../../sdk/index.ts';
import { wireModel } from './models.ts';
import { geminiSdk } from './sdk.ts';
import type { GeminiEmbedderSettings } from './settings.ts';

/** Gemini's task types for retrieval (ai.google.dev/api/embeddings#tasktype): chunks and questions embed differently. */
const TASK_TYPE = { document: 'RETRIEVAL_DOCUMENT', query: 'RETRIEVAL_QUERY' } as const;

/**
 * `models.embedContent` through @google/genai (one `batchEmbedContents` call for the whole batch), with `ctx.fetch`.
 * One attempt: ingestion backs off on a retryable EmbedderError. Vectors of a reduced size are L2-normalised here,
 * since the API returns only the full 3,072-d vector unit-length (ai.google.dev/gemini-api/docs/embeddings).
 */
export async function embedWithGemini(
  ctx: EmbedContext<GeminiEmbedderSettings>,
  request: EmbedRequest,
): Promise<EmbedResult> {
  let retryAfterHeader: string | null = null;
  const sdk = await geminiSdk();
  const client = new sdk.GoogleGenAI({
    apiKey: ctx.settings.apiKey,
    apiVersion: 'v1beta',
    httpOptions: {
      baseUrl: ctx.settings.baseUrl,
      // The SDK's ApiError keeps the body but not the headers; a gateway's Retry-After is read here on the way through.
      fetch: async (input, init) => {
        const response = await ctx.fetch(input, init);
        retryAfterHeader = response.headers.get('retry-after');
        return response;
      },
    },
  });
  const { model, dimensions } = wireModel(request.model);
  try {
    const response = await client.models.embedContent({
      model,
      contents: [...request.inputs],
      config: {
        taskType: TASK_TYPE[request.purpose],
        ...(dimensions !== undefined && { outputDimensionality: dimensions }),
        abortSignal: ctx.signal,
      },
    });
    const vectors = (response.embeddings ?? []).map((embedding) => {
      const vector = Float32Array.from(embedding.values ?? []);
      return dimensions === undefined ? vector : normalised(vector);
    });
    return { vectors };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    throw embedderError(sdk.ApiError, error, ctx, retryAfterHeader);
  }
}

function normalised(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm === 0) return vector;
  const scale = 1 / Math.sqrt(norm);
  return vector.map((value) => value * scale);
}

interface RpcStatus {
  code?: number;
  status?: string;
  message?: string;
  details?: { '@type'?: string; retryDelay?: string; reason?: string }[];
}

function embedderError(
  ApiError: typeof import('@google/genai').ApiError,
  error: unknown,
  ctx: EmbedContext<GeminiEmbedderSettings>,
  retryAfter: string | null,
): EmbedderError {
  const scrub = (text: string) => redact(text, ctx.settings.apiKey);
  if (error instanceof ApiError) {
    const rpc = rpcStatus(error.message);
    const status = error.status;
    const retryable = status === 408 || status === 429 || status >= 500;
    const detail = rpc?.message ?? `HTTP ${status}`;
    const label = rpc?.status ? `${status} ${rpc.status}` : String(status);
    const keyRefused = rpc?.details?.some((d) => d.reason === 'API_KEY_INVALID') ?? false;
    const hint = keyRefused || status === 401 || status === 403 ? ' Check the API key in the embedder settings.' : '';
    const wait = retryable ? (retryDelayMs(rpc) ?? retryAfterMs(retryAfter, ctx.clock.now())) : undefined;
    return new EmbedderError(scrub(`Gemini embeddings failed: ${label}: ${detail}${hint}`), retryable, wait);
  }
  const message = error instanceof Error ? error.message : String(error);
  // No status: the request never got an answer (DNS, refused connection, reset), which a later try may get.
  return new EmbedderError(scrub(`Could not reach the Gemini API: ${message}`), true);
}

/** The SDK's ApiError message is the JSON error body: `{"error": {code, status, message, details}}`. */
function rpcStatus(message: string): RpcStatus | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  try {
    const body = JSON.parse(message.slice(start)) as { error?: RpcStatus };
    return typeof body.error === 'object' && body.error !== null ? body.error : undefined;
  } catch {
    return undefined;
  }
}

/** `google.rpc.RetryInfo.retryDelay`, a protobuf Duration in JSON (`"3s"`, `"0.5s"`), in milliseconds. */
function retryDelayMs(rpc: RpcStatus | undefined): number | undefined {
  const delay = rpc?.details?.find((detail) => detail['@type']?.endsWith('google.rpc.RetryInfo'))?.retryDelay;
  const match = delay ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
  return match?.[1] ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** Removes the key, anything shaped like a Google API key, and `key=` query values from `text`. */
function redact(text: string, apiKey: string): string {
  const withoutKey = apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text;
  return withoutKey.replace(/AIza[0-9A-Za-z_-]{35}/g, '[redacted]').replace(/([?&]key=)[^&\s]+/g, '$1[redacted]');
}

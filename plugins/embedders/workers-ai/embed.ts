import type { EmbedContext, EmbedRequest, EmbedResult } from '../../sdk/index.ts';
import { EmbedderError } from '../../sdk/index.ts';

/**
 * Workers AI error codes a later try can get past (developers.cloudflare.com/workers-ai/platform/errors): 3040 out of
 * capacity (429), 3007 timeout (408), 3036 the free daily allocation used up (429; it resets at 00:00 UTC). The binding
 * throws them as `Error("<code>: <description>")` and sends no Retry-After, so the wait is chosen here.
 */
const OUT_OF_CAPACITY = '3040';
const TIMEOUT = '3007';
const ACCOUNT_LIMITED = '3036';
/** Half a minute's 1,500 requests at the 3,000/min embeddings limit (developers.cloudflare.com/workers-ai/platform/limits) is 1 s. */
const CAPACITY_WAIT_MS = 1000;
const DAY_MS = 86_400_000;

/** `env.AI.run(model, { text })` → `{ shape: [n, d], data: number[][] }` (workers-types' Ai_Cf_Baai_Bge_M3_Output_Embedding). */
export async function embedWithWorkersAi(
  ctx: EmbedContext<Record<string, never>>,
  request: EmbedRequest,
): Promise<EmbedResult> {
  const binding = ctx.binding;
  if (!binding) {
    throw new EmbedderError(
      'The Workers AI embedder needs the AI binding: add [ai] with binding = "AI" to wrangler.toml and deploy again. ' +
        'Workers AI has no local simulator, so local development uses the offline embedder.',
    );
  }
  ctx.signal.throwIfAborted();
  let output: unknown;
  try {
    output = await binding.run(request.model, { text: [...request.inputs] });
  } catch (error) {
    throw workersAiError(error, ctx.clock.now());
  }
  ctx.signal.throwIfAborted();
  const rows = rowsOf(output);
  if (!rows) throw new EmbedderError(`Workers AI returned no embeddings for ${request.model}`, true);
  return { vectors: rows.map((row) => Float32Array.from(row)) };
}

/** `data` (the text-embedding form); `response` is what the same model answers for `contexts` input. */
function rowsOf(output: unknown): number[][] | undefined {
  if (typeof output !== 'object' || output === null) return undefined;
  const { data, response } = output as { data?: unknown; response?: unknown };
  const rows = Array.isArray(data) ? data : Array.isArray(response) ? response : undefined;
  if (!rows?.every((row) => Array.isArray(row) && row.every((value) => typeof value === 'number'))) return undefined;
  return rows as number[][];
}

function workersAiError(error: unknown, now: number): EmbedderError {
  const message = error instanceof Error ? error.message : String(error);
  const code = /\b(\d{4})\b/.exec(message)?.[1];
  if (code === ACCOUNT_LIMITED) {
    const untilMidnight = DAY_MS - (now % DAY_MS);
    return new EmbedderError(`Workers AI: ${message}`, true, untilMidnight);
  }
  if (
    code === OUT_OF_CAPACITY ||
    code === TIMEOUT ||
    /capacity|too many requests|internal|timed? ?out/i.test(message)
  ) {
    return new EmbedderError(`Workers AI: ${message}`, true, CAPACITY_WAIT_MS);
  }
  return new EmbedderError(`Workers AI refused the request: ${message}`);
}

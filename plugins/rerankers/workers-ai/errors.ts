import { RerankerError } from '../../sdk/index.ts';

/**
 * Workers AI error codes a later try can get past (developers.cloudflare.com/workers-ai/platform/errors): 3040 out of
 * capacity (429), 3007 timeout (408), 3036 the free daily allocation used up (429; it resets at 00:00 UTC). The binding
 * throws them as `Error("<code>: <description>")` and sends no Retry-After, so the wait is chosen here (the embedder
 * plugin's mapping, which a plugin may not import).
 */
const OUT_OF_CAPACITY = '3040';
const TIMEOUT = '3007';
const ACCOUNT_LIMITED = '3036';
/** A second: Workers AI names no wait for capacity errors, and search does not retry anyway. */
const CAPACITY_WAIT_MS = 1000;
const DAY_MS = 86_400_000;

export function workersAiError(error: unknown, now: number): RerankerError {
  const message = error instanceof Error ? error.message : String(error);
  const code = /\b(\d{4})\b/.exec(message)?.[1];
  if (code === ACCOUNT_LIMITED) return new RerankerError(`Workers AI: ${message}`, true, DAY_MS - (now % DAY_MS));
  if (
    code === OUT_OF_CAPACITY ||
    code === TIMEOUT ||
    /capacity|too many requests|internal|timed? ?out/i.test(message)
  ) {
    return new RerankerError(`Workers AI: ${message}`, true, CAPACITY_WAIT_MS);
  }
  return new RerankerError(`Workers AI refused the request: ${message}`);
}

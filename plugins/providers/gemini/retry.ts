import type { Clock } from '../../sdk/index.ts';

/**
 * Retries for the Gemini API, as a `fetch` wrapper handed to the SDK. The SDK has its own retry
 * (`httpOptions.retryOptions`, p-retry), but it ignores the wait the API asks for (Retry-After, RetryInfo), sleeps on
 * real timers that `ctx.clock` cannot replace, and starts at 1 s even when the server says 0. So Parley leaves
 * `retryOptions` unset (the SDK then makes exactly one attempt) and retries here, below the SDK, where the status,
 * headers and body of every failed attempt are visible.
 */

/** The statuses the SDK itself retries by default (DEFAULT_RETRY_HTTP_STATUS_CODES): timeouts, 429 and 5xx. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

// Exponential backoff from 1 s doubling to at most 60 s: the SDK's defaults, taken from Google's retry strategy
// (https://cloud.google.com/storage/docs/retry-strategy#exponential-backoff).
const INITIAL_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 60_000;

export interface RetryPolicy {
  maxRetries: number;
  clock: Clock;
  /** Cancels a wait between attempts. */
  signal: AbortSignal;
  /** Jitter source in [0, 1); injectable so tests can pin it. */
  random?: () => number;
}

/** What the retries did, so an error can say how hard Parley tried. */
export interface RetryLog {
  retries: number;
  /** Set when the server asked for a wait longer than `MAX_DELAY_MS`, so no retry was made. */
  refusedWaitMs?: number;
}

export function retryingFetch(fetcher: typeof fetch, policy: RetryPolicy, log: RetryLog): typeof fetch {
  return async (input, init) => {
    for (let attempt = 0; ; attempt++) {
      // A Request's body can be read once; the SDK sends a string body, but stay correct for any caller.
      const response = await fetcher(input instanceof Request ? input.clone() : input, init);
      if (!RETRYABLE_STATUSES.has(response.status) || attempt >= policy.maxRetries) return response;
      const body = await response.text();
      const asked = serverDelayMs(response.headers, body, policy.clock.now());
      const wait = asked ?? backoffMs(attempt, policy.random ?? Math.random);
      if (wait > MAX_DELAY_MS) {
        // Waiting minutes inside a chat turn helps nobody: fail now and say why.
        log.refusedWaitMs = wait;
        return new Response(body, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      }
      log.retries++;
      await policy.clock.sleep(wait, policy.signal);
    }
  };
}

/**
 * "Equal jitter" (https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/): half of the
 * exponential delay fixed, half random, so clients throttled together do not all come back together.
 */
export function backoffMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(MAX_DELAY_MS, INITIAL_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * The wait the server asked for, in milliseconds: the `Retry-After` header (seconds or an HTTP date, RFC 9110
 * §10.2.3), else the `google.rpc.RetryInfo` detail of the error body (`"retryDelay": "37s"`, a protobuf Duration in
 * JSON: https://cloud.google.com/apis/design/errors#retry_info).
 */
export function serverDelayMs(headers: Headers, body: string, now: number): number | undefined {
  const header = headers.get('retry-after')?.trim();
  if (header) {
    if (/^\d+$/.test(header)) return Number(header) * 1000;
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return retryInfoDelayMs(body);
}

function retryInfoDelayMs(body: string): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const details = (parsed as { error?: { details?: unknown } } | null)?.error?.details;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details as { '@type'?: unknown; retryDelay?: unknown }[]) {
    if (detail?.['@type'] !== 'type.googleapis.com/google.rpc.RetryInfo' || typeof detail.retryDelay !== 'string')
      continue;
    const match = /^(\d+(?:\.\d+)?)s$/.exec(detail.retryDelay);
    if (match) return Math.round(Number(match[1]) * 1000);
  }
  return undefined;
}

import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../sdk/testing/fakes.ts';
import { backoffMs, MAX_DELAY_MS, retryingFetch, serverDelayMs } from './retry.ts';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const retryInfo = (delay: string) =>
  JSON.stringify({
    error: { code: 429, details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: delay }] },
  });

describe('retry delays', () => {
  it('reads Retry-After in seconds and as an HTTP date', () => {
    expect(serverDelayMs(new Headers({ 'retry-after': '3' }), '', NOW)).toBe(3_000);
    const date = new Date(NOW + 7_000).toUTCString();
    expect(serverDelayMs(new Headers({ 'retry-after': date }), '', NOW)).toBe(7_000);
  });

  it('falls back to the RetryInfo detail, fractional seconds included', () => {
    expect(serverDelayMs(new Headers(), retryInfo('1.5s'), NOW)).toBe(1_500);
    expect(serverDelayMs(new Headers({ 'retry-after': '4' }), retryInfo('9s'), NOW)).toBe(4_000);
  });

  it('has no opinion when neither is there or the body is not JSON', () => {
    expect(serverDelayMs(new Headers(), '{"error":{"code":500}}', NOW)).toBeUndefined();
    expect(serverDelayMs(new Headers(), '<html>', NOW)).toBeUndefined();
  });

  it('backs off exponentially with equal jitter, capped at 60 s', () => {
    expect([0, 1, 2].map((attempt) => backoffMs(attempt, () => 0))).toEqual([500, 1_000, 2_000]);
    expect([0, 1, 2].map((attempt) => backoffMs(attempt, () => 0.999_999))).toEqual([1_000, 2_000, 4_000]);
    expect(backoffMs(20, () => 0.999_999)).toBe(MAX_DELAY_MS);
  });
});

describe('retryingFetch', () => {
  const answers = (statuses: number[]) => {
    const calls: number[] = [];
    const fetcher: typeof fetch = async () => {
      const status = statuses[calls.length] ?? 200;
      calls.push(status);
      return new Response(status === 200 ? 'ok' : retryInfo('0.25s'), { status });
    };
    return { fetcher, calls };
  };

  it('does not retry statuses that will not change, like 400 and 404', async () => {
    for (const status of [400, 401, 403, 404]) {
      const { fetcher, calls } = answers([status]);
      const log = { retries: 0 };
      const policy = { maxRetries: 3, clock: fakeClock(), signal: new AbortController().signal };
      const response = await retryingFetch(fetcher, policy, log)('https://x.test/');
      expect(response.status).toBe(status);
      expect(calls).toHaveLength(1);
      expect(log.retries).toBe(0);
    }
  });

  it('retries 408, 429, 502, 503 and 504, and hands back the last body intact', async () => {
    const { fetcher, calls } = answers([408, 429, 502, 503, 504]);
    const clock = fakeClock();
    const log = { retries: 0 };
    const response = await retryingFetch(
      fetcher,
      { maxRetries: 4, clock, signal: new AbortController().signal },
      log,
    )('https://x.test/');
    expect(calls).toEqual([408, 429, 502, 503, 504]);
    expect(response.status).toBe(504);
    expect(await response.text()).toBe(retryInfo('0.25s'));
    expect(clock.sleeps.map((sleep) => sleep.ms)).toEqual([250, 250, 250, 250]);
    expect(log.retries).toBe(4);
  });
});

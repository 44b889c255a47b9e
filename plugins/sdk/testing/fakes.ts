/**
 * Fakes for plugin tests: a clock that never waits and a fetch that answers from an in-process fake HTTP server.
 * Plugins only reach time and the network through `PluginContext`, so these replace the real world completely.
 */
import type { Clock } from '../index.ts';

/** 2026-01-15T12:00:00.000Z: a fixed, unremarkable instant (a Thursday, outside any DST change). */
export const FIXED_EPOCH = Date.UTC(2026, 0, 15, 12, 0, 0);

export interface SleepCall {
  ms: number;
  /** Whether the caller passed a signal: a plugin that sleeps without one cannot be cancelled. */
  withSignal: boolean;
  outcome: 'resolved' | 'rejected';
}

export interface FakeClock extends Clock {
  /** Every `sleep` asked for, in order. */
  readonly sleeps: SleepCall[];
  advance(ms: number): void;
}

/**
 * A clock whose `sleep` resolves at once and moves virtual time forward, so paced code runs instantly yet its pacing
 * can still be asserted. Like the real clock, it rejects with the signal's reason when the signal has aborted.
 */
export function fakeClock(start: number = FIXED_EPOCH): FakeClock {
  let now = start;
  const sleeps: SleepCall[] = [];
  return {
    sleeps,
    now: () => now,
    advance(ms) {
      now += ms;
    },
    async sleep(ms, signal) {
      const call: SleepCall = { ms, withSignal: signal !== undefined, outcome: 'resolved' };
      sleeps.push(call);
      if (signal?.aborted) {
        call.outcome = 'rejected';
        throw signal.reason;
      }
      now += ms;
    },
  };
}

/** A fetch for plugins that must never touch the network: any call fails the test loudly. */
export const noNetwork: typeof fetch = async (input) => {
  const url = input instanceof Request ? input.url : String(input);
  throw new Error(`Unexpected network call to ${url}: this plugin must work offline`);
};

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

export interface FakeServer {
  /** Pass as `PluginContext.fetch`. */
  fetch: typeof fetch;
  /** Every request the plugin sent, in order, with its body already read. */
  readonly requests: RecordedRequest[];
}

/**
 * A fake HTTP server: `handle` receives real `Request`s and returns real `Response`s (a Hono app's `fetch` works),
 * so a plugin's whole HTTP layer (URLs, headers, JSON, streaming bodies, status codes) runs for real.
 * Preferred over mocking a client library: the test breaks when the bytes on the wire are wrong, not when an
 * internal call changes. Like real fetch, it rejects with the signal's reason once the request is aborted.
 */
export function fakeServer(handle: (request: Request) => Response | Promise<Response>): FakeServer {
  const requests: RecordedRequest[] = [];
  const fetcher: typeof fetch = async (input, init) => {
    // Taken from the arguments rather than `request.signal`, so the abort is honoured however Request copies it.
    const signal = init?.signal ?? (input instanceof Request ? input.signal : null);
    if (signal?.aborted) throw signal.reason;
    const request = new Request(input, init);
    requests.push({
      method: request.method,
      url: request.url,
      headers: new Headers(request.headers),
      body: await request.clone().text(),
    });
    return handle(request);
  };
  return { fetch: fetcher, requests };
}

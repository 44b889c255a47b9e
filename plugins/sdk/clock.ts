/**
 * Time as a port, so turns, timeouts and tokens can be tested without waiting on the wall clock. Defined here, in
 * the SDK, because plugins receive it in their `PluginContext`; the worker's `ports/clock.ts` implements it.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

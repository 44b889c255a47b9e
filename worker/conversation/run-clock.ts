import type { EngineClock } from '../pipelines/node-runner.ts';
import type { Clock } from '../ports/clock.ts';
import { sleep } from './abortable-sleep.ts';

/**
 * The clock a pipeline run measures its node timeouts and wall time by. It stands still while the run waits for a
 * person (a tool call's approval: up to its timeout, 10 minutes by default), so a node's 60 s timeout and the run's
 * 120 s counts the run's own work, not the time a person took to decide.
 */
export class RunClock implements EngineClock {
  private pausedMs = 0;
  private pauses = 0;
  private pausedAt = 0;
  private resumed: Promise<void> = Promise.resolve();
  private wake: () => void = () => {};

  constructor(private readonly clock: Clock) {}

  now(): number {
    const real = this.clock.now();
    return real - this.pausedMs - (this.pauses > 0 ? real - this.pausedAt : 0);
  }

  /** Waits `ms` of run time: a pause in between adds its length. */
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const until = this.now() + ms;
    for (;;) {
      if (this.pauses > 0) {
        await Promise.race([this.resumed, sleep(60_000, signal)]);
        continue;
      }
      const left = until - this.now();
      if (left <= 0) return;
      await sleep(left, signal);
    }
  }

  /** Stops the run's clock until the returned function is called (pauses nest: parallel nodes may both wait). */
  pause(): () => void {
    if (this.pauses++ === 0) {
      this.pausedAt = this.clock.now();
      this.resumed = new Promise((resolve) => {
        this.wake = resolve;
      });
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (--this.pauses === 0) {
        this.pausedMs += this.clock.now() - this.pausedAt;
        this.wake();
      }
    };
  }
}

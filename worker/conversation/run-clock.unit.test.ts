import { describe, expect, it } from 'vitest';
import { systemClock } from '../ports/clock.ts';
import { RunClock } from './run-clock.ts';

describe('RunClock', () => {
  it('stands still while paused, so a timeout sleeping across a pause waits that much longer', async () => {
    let real = 1_000;
    const clock = new RunClock({ ...systemClock, now: () => real });
    const resume = clock.pause();
    real += 5_000;
    expect(clock.now()).toBe(1_000);
    resume();
    real += 10;
    expect(clock.now()).toBe(1_010);
  });

  it('a sleep does not end while the run waits for a person', async () => {
    const clock = new RunClock(systemClock);
    let woke = false;
    const resume = clock.pause();
    const sleeping = clock.sleep(20).then(() => {
      woke = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(woke).toBe(false);
    resume();
    await sleeping;
    expect(woke).toBe(true);
  });

  it('nests pauses (parallel nodes both waiting) and rejects a paused sleep on abort', async () => {
    const clock = new RunClock(systemClock);
    const first = clock.pause();
    const second = clock.pause();
    first();
    const controller = new AbortController();
    const sleeping = clock.sleep(10, controller.signal);
    controller.abort(new Error('stopped'));
    await expect(sleeping).rejects.toThrow('stopped');
    second();
  });
});

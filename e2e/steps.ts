/**
 * The end-to-end runs' step runner: each step runs, is timed and reported (✓/✗ with the error), and a failure does
 * not stop the steps after it, so one run shows every broken path. `failed` sets the exit code at the end.
 */
export type Step = (name: string, fn: () => Promise<void>) => Promise<void>;

export function stepRunner(): { step: Step; tally: { passed: number; failed: number } } {
  const tally = { passed: 0, failed: 0 };
  async function step(name: string, fn: () => Promise<void>): Promise<void> {
    const started = Date.now();
    try {
      await fn();
      tally.passed++;
      console.log(`✓ ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      tally.failed++;
      console.error(`✗ ${name}\n`, error);
    }
  }
  return { step, tally };
}

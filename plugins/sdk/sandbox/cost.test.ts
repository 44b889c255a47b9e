import { expect, it } from 'vitest';
import { quickJsSandbox, resetQuickJs } from './quickjs.ts';

// The cost of a call as the code node makes it (fresh runtime + context, eval, main, JSON out), in workerd. Printed
// for the README; the assertion is loose because CI's 2 shared cores make timings noisy (the budget is ≤ 5 ms warm).
it('measures a cold and a warm call', async () => {
  const request = {
    code: 'function main(input) { return { n: input.n * 2, tags: ["a", "b"].map((t) => t + input.n) } }',
    entry: 'main',
    args: [{ n: 21 }],
    host: { add_tag: () => null },
  };
  const sandbox = quickJsSandbox();
  resetQuickJs();
  let start = performance.now();
  await sandbox.run(request);
  const cold = performance.now() - start;
  const warm: number[] = [];
  const all = performance.now();
  for (let i = 0; i < 200; i++) {
    start = performance.now();
    await sandbox.run(request);
    warm.push(performance.now() - start);
  }
  const mean = (performance.now() - all) / 200;
  warm.sort((a, b) => a - b);
  const p50 = warm[100] ?? 0;
  const p95 = warm[190] ?? 0;
  console.info(
    `quickjs sandbox: cold ${cold.toFixed(1)} ms, warm mean ${mean.toFixed(2)} ms, p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms`,
  );
  expect(p50).toBeLessThan(50);
});

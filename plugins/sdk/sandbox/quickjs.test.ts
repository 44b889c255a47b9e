import { describe, expect, it } from 'vitest';
import { runSandboxContract } from '../contracts/sandbox.contract.ts';
import { DEFAULT_SANDBOX_LIMITS, MAX_SANDBOX_LIMITS, resolveLimits } from './limits.ts';
import { quickJsLoaded, quickJsSandbox, resetQuickJs } from './quickjs.ts';

runSandboxContract('quickjs', quickJsSandbox);

describe('quickjs sandbox', () => {
  it('instantiates the module once and again after it is dropped', async () => {
    const sandbox = quickJsSandbox();
    await sandbox.run({ code: 'function main() { return 1 }', entry: 'main', args: [], host: {} });
    expect(quickJsLoaded()).toBe(true);
    resetQuickJs();
    expect(quickJsLoaded()).toBe(false);
    const again = await sandbox.run({ code: 'function main() { return 2 }', entry: 'main', args: [], host: {} });
    expect(again).toMatchObject({ ok: true, value: 2 });
    expect(quickJsLoaded()).toBe(true);
  });

  it('clamps limits to the ceilings (a node cannot ask for unbounded work)', () => {
    expect(resolveLimits({ instructions: Number.MAX_SAFE_INTEGER, memoryBytes: 0, outputBytes: 10 })).toEqual({
      instructions: MAX_SANDBOX_LIMITS.instructions,
      memoryBytes: 1,
      stackBytes: DEFAULT_SANDBOX_LIMITS.stackBytes,
      outputBytes: 10,
    });
  });
});

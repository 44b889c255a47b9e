import type { SandboxLimits } from '../node/sandbox.ts';

/**
 * Defaults for one call (m2-architecture §2.2, measured on QuickJS 0.32.0 in workerd):
 * - each interrupt-handler call stands for ≈ 23 µs of guest work, so 10,000 ≈ 0.23 s of CPU on every runtime
 *   (the clock cannot bound it: `Date.now()` stands still during CPU work when deployed);
 * - 16 MiB of heap gives JSON munging room and stops a memory bomb long before the Worker's 128 MB;
 * - 256 KiB of stack: at 512 KiB runaway recursion made `rt.dispose()` abort the wasm instance.
 */
export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  instructions: 10_000,
  memoryBytes: 16 * 1024 * 1024,
  stackBytes: 256 * 1024,
  outputBytes: 64 * 1024,
};

/** Ceilings a node's own limits may not pass (the DO's thread is blocked while guest code runs). */
export const MAX_SANDBOX_LIMITS: SandboxLimits = {
  instructions: 100_000,
  memoryBytes: 64 * 1024 * 1024,
  stackBytes: 256 * 1024,
  outputBytes: 256 * 1024,
};

/** console.log capture: lines kept and characters per line (a log is for debugging, not a data channel). */
export const LOG_LIMITS = { lines: 100, lineChars: 1_000 } as const;

export function resolveLimits(limits: Partial<SandboxLimits> | undefined): SandboxLimits {
  const pick = (key: keyof SandboxLimits) =>
    Math.max(1, Math.min(MAX_SANDBOX_LIMITS[key], Math.floor(limits?.[key] ?? DEFAULT_SANDBOX_LIMITS[key])));
  return {
    instructions: pick('instructions'),
    memoryBytes: pick('memoryBytes'),
    stackBytes: pick('stackBytes'),
    outputBytes: pick('outputBytes'),
  };
}

import { describe, expect, it } from 'vitest';
import { startupCpuMs } from './startup-profile.ts';

describe('startupCpuMs', () => {
  it('sums the intervals before each non-idle sample, in ms, and leaves out idle time', () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)' } },
        { id: 2, callFrame: { functionName: '(idle)' } },
        { id: 3, callFrame: { functionName: 'buildApp' } },
        { id: 4, callFrame: { functionName: '(garbage collector)' } },
      ],
      // 160 ms idle before the script runs, then 1.5 + 2 ms of the app and 0.5 ms of GC.
      samples: [2, 3, 3, 4, 2],
      timeDeltas: [160_000, 1_500, 2_000, 500, 3_000],
    };
    expect(startupCpuMs(profile)).toBe(4);
  });

  it('is 0 for a profile without samples (which the caller discards)', () => {
    expect(startupCpuMs({ nodes: [], samples: [], timeDeltas: [] })).toBe(0);
  });
});

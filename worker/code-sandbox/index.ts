import type { CodeSandbox } from '../../plugins/sdk/node/sandbox.ts';
import type { Env } from '../env.ts';

/** The code node's sandbox for this deployment (QuickJS by default). Placeholder until the sandbox lands. */
export function codeSandbox(_env: Env): CodeSandbox {
  return {
    run: async () => ({
      ok: false,
      error: { kind: 'runtime', message: 'the code sandbox is not installed' },
      logs: [],
    }),
  };
}

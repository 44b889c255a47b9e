import type { CodeSandbox } from '../../plugins/sdk/node/sandbox.ts';
import { quickJsSandbox } from '../../plugins/sdk/sandbox/quickjs.ts';
import type { Env } from '../env.ts';

/**
 * The code node's sandbox for this deployment: QuickJS in WebAssembly (plugins/sdk/sandbox/quickjs.ts), the only
 * option whose CPU, memory and stack limits hold locally, in tests and deployed, on the Free plan as on Paid
 * (m2-architecture §2.4). A Worker Loader sandbox (`env.LOADER`) is the planned production upgrade and is not built
 * yet: its limits are not enforced locally, so it could not pass the runaway half of the sandbox contract here.
 */
export function codeSandbox(_env: Env): CodeSandbox {
  return quickJsSandbox();
}

import releaseSyncVariant from '@jitl/quickjs-wasmfile-release-sync';
import wasmModule from '@jitl/quickjs-wasmfile-release-sync/wasm';
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSWASMModule } from 'quickjs-emscripten-core';
import type { CodeSandbox, SandboxRequest, SandboxResult } from '../node/sandbox.ts';
import { resolveLimits } from './limits.ts';
import { GuestFailure, SandboxSession } from './session.ts';

/**
 * The default CodeSandbox: QuickJS compiled to WebAssembly, interpreting the admin's code with its own heap, stack
 * and counted-work limits, which hold in `npm start`, in tests and when deployed (m2-architecture §2.2). The guest
 * has no `fetch`, no bindings and no host objects: only JSON in and out, `console`, and the host functions of the
 * request. The wasm arrives as a compiled module (a wrangler `CompiledWasm` rule): Workers refuse to compile bytes.
 * `getQuickJS()` is not used: it hangs in Workers (justjake/quickjs-emscripten #142).
 */
export function quickJsSandbox(): CodeSandbox {
  return { run: runInQuickJs };
}

// One module per isolate (instantiating it took 3–40 ms; a call on a warm one ≈ 0.4 ms). Dropped when it crashes.
let quickJs: Promise<QuickJSWASMModule> | null = null;

function loadQuickJs(): Promise<QuickJSWASMModule> {
  if (!quickJs) {
    const loading = newQuickJSWASMModuleFromVariant(newVariant(releaseSyncVariant, { wasmModule }));
    quickJs = loading;
    loading.catch(() => {
      if (quickJs === loading) quickJs = null;
    });
  }
  return quickJs;
}

/** For tests: whether the next call instantiates the module afresh. */
export function quickJsLoaded(): boolean {
  return quickJs !== null;
}

/** Forgets the module: the next call instantiates a fresh one (after a crash, or to measure a cold call). */
export function resetQuickJs(): void {
  quickJs = null;
}

async function runInQuickJs(request: SandboxRequest): Promise<SandboxResult> {
  const logs: string[] = [];
  if (request.signal?.aborted) return failed('cancelled', 'the run was cancelled', logs);
  let session: SandboxSession;
  try {
    session = new SandboxSession(await loadQuickJs(), request, resolveLimits(request.limits), logs);
  } catch (error) {
    resetQuickJs();
    return failed('runtime', `the code sandbox could not start: ${messageOf(error)}`, logs);
  }
  let result: SandboxResult;
  try {
    result = { ok: true, value: await session.run(), logs };
  } catch (error) {
    if (error instanceof GuestFailure) {
      result = { ok: false, error: { kind: error.kind, message: error.message, ...lineOf(error) }, logs };
    } else {
      // A RuntimeError from the module (an emscripten abort) leaves its memory in an unknown state: never reuse it.
      resetQuickJs();
      result = failed('runtime', `the code sandbox failed: ${messageOf(error)}`, logs);
    }
  }
  try {
    session.dispose();
  } catch {
    // Disposal aborting the wasm (e.g. after runaway recursion) poisons the module; the result stands.
    resetQuickJs();
  }
  return result;
}

function lineOf(error: GuestFailure): { line?: number } {
  return error.line === undefined ? {} : { line: error.line };
}

function failed(kind: GuestFailure['kind'], message: string, logs: string[]): SandboxResult {
  return { ok: false, error: { kind, message }, logs };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

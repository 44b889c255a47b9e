import type {
  QuickJSContext,
  QuickJSDeferredPromise,
  QuickJSHandle,
  QuickJSRuntime,
  QuickJSWASMModule,
} from 'quickjs-emscripten-core';
import type { JsonValue } from '../json.ts';
import type { SandboxErrorKind, SandboxHostFunction, SandboxLimits, SandboxRequest } from '../node/sandbox.ts';
import { LOG_LIMITS } from './limits.ts';

/** The file name guest errors carry in their stack, so the admin's line can be read back out of it. */
const FILENAME = 'code.js';
const LINE = /code\.js:(\d+)/;

/** A failure to report to the caller as a SandboxResult (anything else escaping is a sandbox bug or a wasm crash). */
export class GuestFailure extends Error {
  constructor(
    readonly kind: SandboxErrorKind,
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/**
 * One call: a fresh QuickJS runtime and context (≈ 0.4 ms warm), so no state leaks between calls or teams. Every
 * handle the host creates is disposed before the runtime is: a leaked one makes `rt.dispose()` abort the wasm
 * instance (m2-architecture §2.2), which the caller treats as fatal for the module.
 */
export class SandboxSession {
  private readonly rt: QuickJSRuntime;
  private readonly vm: QuickJSContext;
  private readonly stringify: QuickJSHandle;
  private readonly parse: QuickJSHandle;
  private readonly deferreds = new Set<QuickJSDeferredPromise>();
  /** Host calls still running; the guest's promise can only settle through one of them. */
  private readonly pending = new Set<Promise<void>>();
  private readonly aborted: Promise<void>;
  private interrupts = 0;
  private stoppedBy: 'budget' | 'cancelled' | null = null;
  private disposed = false;

  constructor(
    module: QuickJSWASMModule,
    private readonly request: SandboxRequest,
    private readonly limits: SandboxLimits,
    private readonly logs: string[],
  ) {
    const signal = request.signal;
    this.aborted = new Promise((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
    this.rt = module.newRuntime();
    this.rt.setMemoryLimit(limits.memoryBytes);
    this.rt.setMaxStackSize(limits.stackBytes);
    // Counted work, not the clock: QuickJS calls this every few thousand bytecodes (≈ 23 µs of guest work). Once
    // it says stop it keeps saying so, so a guest `catch` cannot resume the loop.
    this.rt.setInterruptHandler(() => {
      if (signal?.aborted) this.stoppedBy ??= 'cancelled';
      else if (++this.interrupts > limits.instructions) this.stoppedBy ??= 'budget';
      return this.stoppedBy !== null;
    });
    this.vm = this.rt.newContext();
    const json = this.vm.getProp(this.vm.global, 'JSON');
    this.stringify = this.vm.getProp(json, 'stringify');
    this.parse = this.vm.getProp(json, 'parse');
    json.dispose();
    this.installConsole();
    for (const [name, fn] of Object.entries(request.host)) {
      this.vm
        .newFunction(name, (...args) => this.callHost(fn, args))
        .consume((handle) => {
          this.vm.setProp(this.vm.global, name, handle);
        });
    }
  }

  /** Evaluates the code as a script, calls the entry function and waits for its promise, if it returns one. */
  async run(): Promise<JsonValue> {
    const evaluated = this.vm.evalCode(this.request.code, FILENAME, { type: 'global' });
    if (evaluated.error) throw this.failure(evaluated.error, 'syntax');
    evaluated.value.dispose();
    const entry = this.vm.getProp(this.vm.global, this.request.entry);
    if (this.vm.typeof(entry) !== 'function') {
      entry.dispose();
      throw new GuestFailure('runtime', `the code must define a function named ${this.request.entry}`);
    }
    const args = this.request.args.map((arg) => this.fromJson(arg));
    const called = this.vm.callFunction(entry, this.vm.undefined, args);
    entry.dispose();
    for (const arg of args) arg.dispose();
    if (called.error) throw this.failure(called.error);
    const value = await this.settle(called.value);
    try {
      return this.output(value);
    } finally {
      value.dispose();
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const deferred of this.deferreds) deferred.dispose();
    this.stringify.dispose();
    this.parse.dispose();
    this.vm.dispose();
    this.rt.dispose();
  }

  /** Drives the guest's promise: runs its jobs, then waits for a host call to finish. Owns `handle`. */
  private async settle(handle: QuickJSHandle): Promise<QuickJSHandle> {
    for (;;) {
      const state = this.vm.getPromiseState(handle);
      if (state.type === 'fulfilled') {
        if (state.notAPromise) return handle;
        handle.dispose();
        return state.value;
      }
      if (state.type === 'rejected') {
        handle.dispose();
        throw this.failure(state.error);
      }
      const jobs = this.rt.executePendingJobs();
      if (jobs.error) {
        handle.dispose();
        throw this.failure(jobs.error);
      }
      if (jobs.value > 0) continue;
      if (this.pending.size === 0) {
        handle.dispose();
        throw new GuestFailure('runtime', `${this.request.entry} returned a promise that never settles`);
      }
      await Promise.race([...this.pending, this.aborted]);
      if (this.request.signal?.aborted) {
        handle.dispose();
        throw new GuestFailure('cancelled', 'the run was cancelled');
      }
    }
  }

  private output(handle: QuickJSHandle): JsonValue {
    const text = this.toJsonText(handle);
    if (text === undefined) return null;
    const bytes = new TextEncoder().encode(text).length;
    if (bytes > this.limits.outputBytes)
      throw new GuestFailure('output', `the result is ${bytes} bytes of JSON; the limit is ${this.limits.outputBytes}`);
    return JSON.parse(text) as JsonValue;
  }

  /** A guest host-function call: arguments cross as JSON, and a promise result becomes a guest promise. */
  private callHost(fn: SandboxHostFunction, args: QuickJSHandle[]): QuickJSHandle {
    const values = args.map((arg) => {
      const text = this.toJsonText(arg);
      return text === undefined ? null : (JSON.parse(text) as JsonValue);
    });
    const result = fn(...values);
    if (!isPromise(result)) return this.fromJson(result);
    const deferred = this.vm.newPromise();
    this.deferreds.add(deferred);
    const settled: Promise<void> = result
      .then(
        (value) => {
          if (this.disposed) return;
          this.fromJson(value).consume((handle) => deferred.resolve(handle));
        },
        (error: unknown) => {
          if (this.disposed) return;
          this.vm
            .newError({ name: 'Error', message: error instanceof Error ? error.message : String(error) })
            .consume((handle) => deferred.reject(handle));
        },
      )
      .catch(() => {
        // Converting the result ran out of guest memory: reject so the guest sees a failure, not a hang.
        if (!this.disposed) deferred.reject(this.vm.undefined);
      })
      .finally(() => this.pending.delete(settled));
    this.pending.add(settled);
    return deferred.handle;
  }

  private installConsole(): void {
    const console = this.vm.newObject();
    for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
      this.vm
        .newFunction(level, (...args) => {
          this.log(level, args);
        })
        .consume((fn) => this.vm.setProp(console, level, fn));
    }
    this.vm.setProp(this.vm.global, 'console', console);
    console.dispose();
  }

  private log(level: string, args: QuickJSHandle[]): void {
    if (this.logs.length > LOG_LIMITS.lines) return;
    if (this.logs.length === LOG_LIMITS.lines) {
      this.logs.push(`… more output dropped (logs keep ${LOG_LIMITS.lines} lines)`);
      return;
    }
    const parts = args.map((arg) => {
      if (this.vm.typeof(arg) === 'string') return this.vm.getString(arg).slice(0, LOG_LIMITS.lineChars);
      return this.toJsonText(arg)?.slice(0, LOG_LIMITS.lineChars) ?? 'undefined';
    });
    const line = parts.join(' ').slice(0, LOG_LIMITS.lineChars);
    this.logs.push(level === 'log' ? line : `[${level}] ${line}`);
  }

  /** The guest's own `JSON.stringify` of a value (undefined for functions and `undefined`). */
  private toJsonText(handle: QuickJSHandle): string | undefined {
    const result = this.vm.callFunction(this.stringify, this.vm.undefined, handle);
    if (result.error) throw this.failure(result.error);
    return result.value.consume((text) => (this.vm.typeof(text) === 'string' ? this.vm.getString(text) : undefined));
  }

  private fromJson(value: JsonValue | undefined): QuickJSHandle {
    if (value === undefined) return this.vm.undefined;
    if (value === null) return this.vm.null;
    if (typeof value === 'boolean') return value ? this.vm.true : this.vm.false;
    if (typeof value === 'number') return this.vm.newNumber(value);
    if (typeof value === 'string') return this.vm.newString(value);
    const parsed = this.vm
      .newString(JSON.stringify(value))
      .consume((text) => this.vm.callFunction(this.parse, this.vm.undefined, text));
    if (parsed.error) throw this.failure(parsed.error);
    return parsed.value;
  }

  /** Classifies a guest exception (and disposes its handle). */
  private failure(errorHandle: QuickJSHandle, phase: 'syntax' | 'run' = 'run'): GuestFailure {
    if (this.stoppedBy === 'cancelled') {
      errorHandle.dispose();
      return new GuestFailure('cancelled', 'the run was cancelled');
    }
    if (this.stoppedBy === 'budget') {
      errorHandle.dispose();
      return new GuestFailure(
        'budget',
        `the code ran past its budget of ${this.limits.instructions} steps (an endless loop, or too much work)`,
      );
    }
    const { name, message, stack } = describe(errorHandle.consume((handle) => this.dumpSafely(handle)));
    const line = LINE.exec(stack)?.[1];
    const at = line === undefined ? undefined : Number(line);
    if (name === 'InternalError' && /out of memory/.test(message))
      return new GuestFailure('memory', `the code ran out of memory (limit ${this.limits.memoryBytes} bytes)`, at);
    if (name === 'InternalError' && /stack overflow/.test(message))
      return new GuestFailure('stack', 'the code recursed too deeply (stack overflow)', at);
    const kind = phase === 'syntax' && name === 'SyntaxError' ? 'syntax' : 'runtime';
    return new GuestFailure(kind, name ? `${name}: ${message}` : message, at);
  }

  private dumpSafely(handle: QuickJSHandle): unknown {
    try {
      return this.vm.dump(handle);
    } catch {
      // Dumping allocates; after an out-of-memory error it can fail too.
      return { name: 'InternalError', message: 'out of memory' };
    }
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function describe(thrown: unknown): { name: string; message: string; stack: string } {
  if (thrown && typeof thrown === 'object') {
    const record = thrown as Record<string, unknown>;
    return {
      name: typeof record.name === 'string' ? record.name : '',
      message: typeof record.message === 'string' ? record.message : JSON.stringify(thrown),
      stack: typeof record.stack === 'string' ? record.stack : '',
    };
  }
  return { name: '', message: `uncaught ${JSON.stringify(thrown) ?? String(thrown)}`, stack: '' };
}

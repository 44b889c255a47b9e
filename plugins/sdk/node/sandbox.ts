import type { JsonValue } from '../json.ts';

/**
 * The CodeSandbox port: runs code an admin wrote with its own limits and no network or bindings. Workers forbid
 * `eval`, and local workerd enforces no CPU limits while `Date.now()` stands still during CPU work in production
 * (../shared/platform-notes.md), so budgets are counted work (instructions), never the clock.
 */
export interface CodeSandbox {
  run(request: SandboxRequest): Promise<SandboxResult>;
}

/** A function the guest may call as a global; arguments and the result cross as JSON. */
export type SandboxHostFunction = (...args: JsonValue[]) => JsonValue | undefined | Promise<JsonValue | undefined>;

export interface SandboxRequest {
  /** A script (not a module) that defines the `entry` function; it may be async. */
  code: string;
  entry: string;
  args: readonly JsonValue[];
  /** The helper API, installed as globals. */
  host: Readonly<Record<string, SandboxHostFunction>>;
  limits?: Partial<SandboxLimits>;
  signal?: AbortSignal;
}

export interface SandboxLimits {
  /** Interrupt-handler calls allowed (≈ 23 µs of guest work each in QuickJS: m2-architecture §2.2). */
  instructions: number;
  memoryBytes: number;
  stackBytes: number;
  /** The JSON of the result, in bytes. */
  outputBytes: number;
}

export type SandboxErrorKind = 'syntax' | 'runtime' | 'budget' | 'memory' | 'stack' | 'output' | 'cancelled';

export type SandboxResult =
  | { ok: true; value: JsonValue; logs: string[] }
  | { ok: false; error: SandboxError; logs: string[] };

export interface SandboxError {
  kind: SandboxErrorKind;
  message: string;
  /** The line of the admin's code the error points at (1-based), when the sandbox knows it. */
  line?: number;
}

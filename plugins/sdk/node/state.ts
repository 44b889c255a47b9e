import type { JsonValue } from '../json.ts';

/** Where a node's state reads and writes go. `run` lasts one run; `session` one conversation; `participant` a participant × chatbot. */
export const stateScopes = ['run', 'session', 'participant'] as const;
export type StateScope = (typeof stateScopes)[number];

export interface NodeStateApi {
  /** The value as of the start of this node's superstep, plus this node's own writes (read-your-writes). */
  get(scope: StateScope, key: string): JsonValue | undefined;
  all(scope: StateScope): Readonly<Record<string, JsonValue>>;
  set(scope: StateScope, key: string, value: JsonValue): void;
  /** Appends to a list (a missing key becomes `[value]`, a non-list `[old, value]`). */
  append(scope: StateScope, key: string, value: JsonValue): void;
  /** Adds `by` to a number (missing counts as 0; a non-number fails the node). */
  increment(scope: StateScope, key: string, by: number): void;
  delete(scope: StateScope, key: string): void;
}

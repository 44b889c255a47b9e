import { type JsonValue, NodeError, type NodeStateApi, type NodeToolCall, type StateScope } from './node-kind.ts';

/**
 * The state a run reads and writes, and the merge rules (docs/pipelines.md "State and merge rules"):
 * a node reads the state as it was when its superstep began plus its own writes; its writes are recorded as
 * operations and applied to the shared state at the barrier, node by node in definition order, operation by
 * operation in the order the node made them. So two parallel branches writing one key end the same way every run:
 * `set`/`delete` — the node later in definition order wins; `append` — both values, earlier node first;
 * `increment` — both amounts add up.
 */

export type ScopeState = Record<string, JsonValue>;
export type PipelineState = Record<StateScope, ScopeState>;

export type StateWrite =
  | { scope: StateScope; key: string; op: 'set'; value: JsonValue }
  | { scope: StateScope; key: string; op: 'append'; value: JsonValue }
  | { scope: StateScope; key: string; op: 'increment'; by: number }
  | { scope: StateScope; key: string; op: 'delete' };

export interface ReplyMessage {
  nodeId: string;
  text: string;
}

export interface RunTag {
  nodeId: string;
  name: string;
  scope: 'reply' | 'conversation';
}

/** One write applied to one scope's record; returns the error text when it cannot apply. */
export function applyWrite(target: ScopeState, write: StateWrite): string | null {
  const current = target[write.key];
  switch (write.op) {
    case 'set':
      target[write.key] = write.value;
      return null;
    case 'delete':
      delete target[write.key];
      return null;
    case 'append':
      target[write.key] =
        current === undefined
          ? [write.value]
          : Array.isArray(current)
            ? [...current, write.value]
            : [current, write.value];
      return null;
    case 'increment':
      if (current !== undefined && typeof current !== 'number') return `${write.scope}.${write.key} is not a number`;
      target[write.key] = (current ?? 0) + write.by;
      return null;
  }
}

/** A JSON copy: node outputs and state must survive a checkpoint unchanged, so nothing non-JSON may slip in. */
export function jsonCopy<T extends JsonValue | ScopeState>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

// The tags API's rule (worker/tags/schema.ts: tagSchema, MAX_TAGS), so a run's tags can be stored as sent.
export const MAX_TAG_CHARS = 50;
export const MAX_TAGS = 20;
const TAG = /^[\p{L}\p{N} _:.-]+$/u;

/** The buffered effects of one attempt of one node. */
export class NodeEffects implements NodeStateApi {
  readonly writes: StateWrite[] = [];
  readonly replies: string[] = [];
  readonly tags: { name: string; scope: 'reply' | 'conversation' }[] = [];
  readonly ports: string[] = [];
  end: { reason: string } | null = null;
  inputTokens = 0;
  outputTokens = 0;
  /** Tool calls the node's model made (ctx.toolCalls), previews only: they go into the trace. */
  readonly tools: NodeToolCall[] = [];
  /** Set when the attempt is over: a node that ignored its signal must not change anything afterwards. */
  closed = false;
  private readonly local: Partial<Record<StateScope, ScopeState>> = {};

  constructor(private readonly base: Readonly<PipelineState>) {}

  private open(): void {
    if (this.closed) throw new NodeError('the node wrote after it finished, timed out or was cancelled');
  }

  get(scope: StateScope, key: string): JsonValue | undefined {
    return (this.local[scope] ?? this.base[scope])[key];
  }

  all(scope: StateScope): Readonly<ScopeState> {
    return this.local[scope] ?? this.base[scope];
  }

  private write(write: StateWrite): void {
    this.open();
    if ('value' in write && write.value === undefined) throw new NodeError(`${write.scope}.${write.key}: no value`);
    let local = this.local[write.scope];
    if (!local) {
      local = jsonCopy(this.base[write.scope]);
      this.local[write.scope] = local;
    }
    const copy = 'value' in write ? { ...write, value: jsonCopy(write.value) } : write;
    const error = applyWrite(local, copy);
    if (error) throw new NodeError(error);
    this.writes.push(copy);
  }

  set(scope: StateScope, key: string, value: JsonValue): void {
    this.write({ scope, key, op: 'set', value });
  }
  append(scope: StateScope, key: string, value: JsonValue): void {
    this.write({ scope, key, op: 'append', value });
  }
  increment(scope: StateScope, key: string, by: number): void {
    if (!Number.isFinite(by)) throw new NodeError(`${scope}.${key}: increment must be a finite number`);
    this.write({ scope, key, op: 'increment', by });
  }
  delete(scope: StateScope, key: string): void {
    this.write({ scope, key, op: 'delete' });
  }

  reply(text: string): void {
    this.open();
    this.replies.push(text);
  }
  tag(name: string, scope: 'reply' | 'conversation'): void {
    this.open();
    if (!TAG.test(name) || name.length > MAX_TAG_CHARS || name.trim() !== name)
      throw new NodeError(`tag "${name.slice(0, 60)}": 1–${MAX_TAG_CHARS} letters, digits, spaces and - _ : .`);
    this.tags.push({ name, scope });
  }
  endConversation(reason: string): void {
    this.open();
    this.end ??= { reason };
  }
}

/** A key two nodes of one superstep both `set` or `delete`: resolved by definition order, and shown in the trace. */
export interface WriteConflict {
  scope: StateScope;
  key: string;
  nodes: string[];
}

/**
 * Applies one superstep's effects to the run's state at its barrier, in the order given (definition order).
 * An `increment` of a key another node of the same step turned into a non-number counts from 0 (recorded as a conflict).
 */
export function mergeStep(
  state: PipelineState,
  steps: readonly { nodeId: string; effects: NodeEffects }[],
): WriteConflict[] {
  const setters = new Map<string, { scope: StateScope; key: string; nodes: string[] }>();
  const conflicts: WriteConflict[] = [];
  for (const { nodeId, effects } of steps) {
    for (const write of effects.writes) {
      if (write.op === 'set' || write.op === 'delete') {
        const id = `${write.scope}\u0000${write.key}`;
        const entry = setters.get(id) ?? { scope: write.scope, key: write.key, nodes: [] };
        if (!entry.nodes.includes(nodeId)) entry.nodes.push(nodeId);
        setters.set(id, entry);
      }
      if (applyWrite(state[write.scope], write) !== null && write.op === 'increment') {
        state[write.scope][write.key] = write.by;
        conflicts.push({ scope: write.scope, key: write.key, nodes: [nodeId] });
      }
    }
  }
  for (const entry of setters.values()) if (entry.nodes.length > 1) conflicts.push(entry);
  return conflicts;
}

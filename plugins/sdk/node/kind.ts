import type { z } from 'zod';
import type { JsonValue } from '../json.ts';
import type { NodeServices } from './services.ts';
import type { NodeStateApi } from './state.ts';

/**
 * The contract every pipeline node kind implements (the engine is worker/pipelines/; the format is docs/pipelines.md).
 * A kind is pure over its context: every side effect (model calls, HTTP, email, code, history) goes through
 * `ctx.services`, so the same kind runs in the engine, in the SDK's test harness and in its plugin's tests.
 */

export { type NodeStateApi, type StateScope, stateScopes } from './state.ts';

/** The default output port of every kind that does not route. */
export const DEFAULT_PORT = 'out';

/** One value that reached a node over one edge. */
export interface NodeInput {
  /** The node that sent it, and the port it left by. */
  from: string;
  port: string;
  value: JsonValue;
}

/** What a node sees and may do while it runs. Writes are buffered and applied at the superstep's barrier. */
export interface NodeContext<S> {
  readonly runId: string;
  readonly nodeId: string;
  /** 1 for the first try; retries count up. With `runId` and `nodeId` it makes an idempotency key for side effects. */
  readonly attempt: number;
  readonly settings: S;
  /** The last input in edge order (see `inputs`); the run's input for the start node. */
  readonly input: JsonValue;
  /** Every input that arrived, in the order of the definition's `edges` array (never completion order). */
  readonly inputs: readonly NodeInput[];
  /** The user's message that started the run. */
  readonly runInput: JsonValue;
  readonly state: NodeStateApi;
  /** Model calls, history, HTTP, email, code sandbox and the conversation's identity (services.ts). */
  readonly services: NodeServices;
  /** Sends a message to the user; a run may send several, delivered in order. */
  reply(text: string): void;
  /** Routers only: the output port to follow. Every other port's branch is skipped. */
  route(port: string): void;
  /** Tags the run's reply or the conversation. */
  tag(name: string, scope?: 'reply' | 'conversation'): void;
  endConversation(reason?: string): void;
  /** Stops the whole run; `message` becomes the last reply. */
  abort(message: string): never;
  /** Tokens this node spent (summed into the trace). */
  usage(tokens: { inputTokens: number; outputTokens: number }): void;
  /** The tool calls this node's model made, with their results and approvals (shown in the trace). */
  toolCalls?(calls: readonly NodeToolCall[]): void;
  /** Aborts on cancellation, on this node's timeout and when the run's wall-time bound passes. */
  readonly signal: AbortSignal;
}

/** A thrown error that a retry cannot fix (bad settings for this input, a 4xx): the node fails at once. */
export class NodeError extends Error {
  constructor(
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'NodeError';
  }
}

export interface NodeReference {
  type: 'credential' | 'collection' | 'chatbot' | 'plugin-config';
  id: string;
  /** Where in the node's settings it sits, e.g. `credentialId`. */
  path: string;
}

export interface NodeKind<S extends z.ZodType = z.ZodType> {
  /** Stable id stored in definitions, e.g. `static_router`. */
  id: string;
  displayName: string;
  description: string;
  /** Validates a node's `settings`; the editor renders it as JSON Schema. */
  settings: S;
  /**
   * The settings a node added in the editor starts with. They must pass `settings` (a test checks every installed
   * kind), so a new node saves at once; unset means `{}`, which must then pass.
   */
  defaults?: z.input<S>;
  /** What the node expects and produces, for the editor and docs. */
  inputs: string;
  output: string;
  /** Input edges: `none` for start only. */
  acceptsInput: boolean;
  /** The output ports for these settings: `[DEFAULT_PORT]` for ordinary nodes, the route names for routers, none for end. */
  ports(settings: z.infer<S>): readonly string[];
  /** True when `run` must call `ctx.route()` exactly once; every port must be wired. */
  routes: boolean;
  /** Team-owned things the settings name; validation checks them through a resolver. */
  references?(settings: z.infer<S>): readonly NodeReference[];
  /**
   * True when the kind's output may be the user's reply as it is produced (an LLM answer): the host then streams it
   * when the graph guarantees it is the reply (docs/pipelines.md, "Streaming").
   */
  streams?: boolean;
  /**
   * True when the kind never calls `reply()` or `abort()`: an LLM node whose answer is certain to be the reply may
   * then stream while nodes of this kind are still to run. Unset means "may reply" (the safe default).
   */
  silent?: boolean;
  run(ctx: NodeContext<z.infer<S>>): Promise<JsonValue> | JsonValue;
}

/** Lets a kind's literal keep its settings type while registries hold `NodeKind` (a function's parameter is contravariant). */
export function defineNodeKind<S extends z.ZodType>(kind: NodeKind<S>): NodeKind {
  return kind as unknown as NodeKind;
}

/** One tool call of a node's model as the trace keeps it (previews of arguments and output). */
export interface NodeToolCall {
  id: string;
  name: string;
  arguments: string;
  ok: boolean;
  output: string;
  /** Set when the call needed approval: how it was decided (by `user`, `timeout`, `cancelled`, `interrupted`, `rule`). */
  approval?: { decision: 'approved' | 'denied'; by: string };
}

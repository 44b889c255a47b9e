import type { NodeServices } from '../../plugins/sdk/node/services.ts';
import type { CompiledNode } from './compile.ts';
import { type JsonValue, type NodeContext, NodeError, type NodeInput } from './node-kind.ts';
import type { PipelineEvent } from './run-record.ts';
import { jsonCopy, NodeEffects, type PipelineState } from './run-state.ts';

/** Time as a port (the same shape as worker/ports/clock.ts), so retries and timeouts are tested without waiting. */
export interface EngineClock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

// Backoff doubles per attempt up to 60 s: OCS's retry policy (apps/service_providers/llm_service/retry.py).
const BACKOFF_FACTOR = 2;
const MAX_BACKOFF_MS = 60_000;

export function backoffMs(initial: number, attempt: number): number {
  return Math.min(initial * BACKOFF_FACTOR ** (attempt - 1), MAX_BACKOFF_MS);
}

const MAX_ERROR_CHARS = 2_000;

/** Thrown by `ctx.abort()`; never retried. */
class RunAbort extends Error {
  constructor(readonly userMessage: string) {
    super(userMessage);
  }
}

class NodeTimeout extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
  }
}

export type NodeOutcome =
  | { status: 'completed'; output: JsonValue; port: string | null; effects: NodeEffects; attempts: number }
  | { status: 'failed'; error: string; timedOut: boolean; attempts: number; effects: null }
  | { status: 'aborted'; message: string; attempts: number; effects: null }
  | { status: 'cancelled'; attempts: number; effects: null };

export interface ExecuteNodeInput {
  runId: string;
  node: CompiledNode;
  inputs: NodeInput[];
  runInput: JsonValue;
  state: Readonly<PipelineState>;
  clock: EngineClock;
  /** Aborts on cancellation and when the superstep gives up (a sibling failed). */
  signal: AbortSignal;
  /** When the run's wall time runs out (clock ms); a node's timeout never outlasts it. */
  deadline: number;
  emit(event: PipelineEvent): void;
  /** The services this node's attempt gets (model calls, history, HTTP, email, sandbox). */
  services(nodeId: string, attempt: number): NodeServices;
}

/** Runs one node: its attempts with backoff, each under its timeout, with its own buffered effects. */
export async function executeNode(input: ExecuteNodeInput): Promise<NodeOutcome> {
  const { node, clock } = input;
  const base = { runId: input.runId, nodeId: node.id, kind: node.kind.id };
  for (let attempt = 1; ; attempt++) {
    if (input.signal.aborted) return { status: 'cancelled', attempts: attempt - 1, effects: null };
    input.emit({ type: 'node.started', ...base, attempt });
    const started = clock.now();
    const timeoutMs = Math.max(0, Math.min(node.timeoutMs, input.deadline - started));
    const effects = new NodeEffects(input.state);
    const result = await attemptNode(input, attempt, effects, timeoutMs);
    effects.closed = true;
    const durationMs = clock.now() - started;
    if (result.ok) {
      input.emit({ type: 'node.completed', ...base, attempt, durationMs, ...(result.port && { port: result.port }) });
      return { status: 'completed', output: result.output, port: result.port, effects, attempts: attempt };
    }
    const error = result.error;
    if (input.signal.aborted) {
      // Every started node ends with an event, so a progress view never waits on a node the step gave up on.
      input.emit({ type: 'node.failed', ...base, attempt, durationMs, error: 'cancelled', willRetry: false });
      return { status: 'cancelled', attempts: attempt, effects: null };
    }
    if (error instanceof RunAbort) {
      input.emit({ type: 'node.completed', ...base, attempt, durationMs });
      return { status: 'aborted', message: error.userMessage, attempts: attempt, effects: null };
    }
    // Bounded: the message is stored in the trace and shown to the admin (a provider's error page can be long).
    const message = (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_CHARS);
    const retryable = !(error instanceof NodeError) || error.retryable;
    const willRetry = retryable && attempt < node.retry.attempts;
    input.emit({ type: 'node.failed', ...base, attempt, durationMs, error: message, willRetry });
    if (!willRetry)
      return {
        status: 'failed',
        error: message,
        timedOut: error instanceof NodeTimeout,
        attempts: attempt,
        effects: null,
      };
    try {
      await clock.sleep(backoffMs(node.retry.backoffMs, attempt), input.signal);
    } catch {
      return { status: 'cancelled', attempts: attempt, effects: null };
    }
  }
}

/**
 * The reason an attempt's signal aborts once the attempt is over (cleanup, nothing reads it): one shared Error, since
 * building one per attempt captured a stack trace per node of every turn.
 */
const ATTEMPT_OVER = new Error('attempt over');

type AttemptResult = { ok: true; output: JsonValue; port: string | null } | { ok: false; error: unknown };

/** The trace keeps a node's first 32 tool calls (2 rounds of 16), 300 characters of each call's arguments and output. */
const MAX_TRACED_TOOL_CALLS = 32;
const TOOL_PREVIEW_CHARS = 300;

async function attemptNode(
  input: ExecuteNodeInput,
  attempt: number,
  effects: NodeEffects,
  timeoutMs: number,
): Promise<AttemptResult> {
  const { node } = input;
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(input.signal.reason);
  input.signal.addEventListener('abort', onParentAbort, { once: true });
  // Rejects when the node's signal aborts (the clock's sleep rejects with its reason) or when the timeout passes, so a
  // node that ignores its signal still loses the race. One timer and one listener per attempt serve both.
  const stopped = input.clock.sleep(timeoutMs, controller.signal).then(() => {
    const timeout = new NodeTimeout(timeoutMs);
    controller.abort(timeout);
    throw timeout;
  });
  stopped.catch(() => {});
  const ctx: NodeContext<unknown> = {
    runId: input.runId,
    nodeId: node.id,
    attempt,
    settings: node.settings,
    input: node.kind.acceptsInput ? (input.inputs.at(-1)?.value ?? null) : input.runInput,
    inputs: input.inputs,
    runInput: input.runInput,
    state: effects,
    services: input.services(node.id, attempt),
    reply: (text) => effects.reply(text),
    route: (port) => {
      if (!node.kind.routes) throw new NodeError(`node kind ${node.kind.id} does not route`);
      effects.ports.push(port);
    },
    tag: (name, scope = 'reply') => effects.tag(name, scope),
    endConversation: (reason = '') => effects.endConversation(reason),
    abort: (message) => {
      throw new RunAbort(message);
    },
    usage: (tokens) => {
      effects.inputTokens += tokens.inputTokens;
      effects.outputTokens += tokens.outputTokens;
    },
    toolCalls: (calls) => {
      // Previews: the trace row is a run checkpoint's, bounded like every input and output in it.
      for (const call of calls.slice(0, MAX_TRACED_TOOL_CALLS - effects.tools.length)) {
        effects.tools.push({
          ...call,
          arguments: call.arguments.slice(0, TOOL_PREVIEW_CHARS),
          output: call.output.slice(0, TOOL_PREVIEW_CHARS),
        });
      }
    },
    signal: controller.signal,
  };
  try {
    const output = await Promise.race([Promise.resolve().then(() => node.kind.run(ctx)), stopped]);
    // Through JSON now, so the run in memory equals the checkpoint it resumes from (and non-JSON fails this node).
    return { ok: true, output: jsonCopy(output ?? null), port: chosenPort(node, effects) };
  } catch (error) {
    return { ok: false, error };
  } finally {
    input.signal.removeEventListener('abort', onParentAbort);
    if (!controller.signal.aborted) controller.abort(ATTEMPT_OVER);
  }
}

/** A router must pick exactly one of its ports; every other node leaves by `out` (or by none, for end). */
function chosenPort(node: CompiledNode, effects: NodeEffects): string | null {
  if (!node.kind.routes) return null;
  const ports = node.kind.ports(node.settings);
  if (effects.ports.length !== 1) throw new NodeError(`router must choose one route, chose ${effects.ports.length}`);
  const port = effects.ports[0] as string;
  if (!ports.includes(port)) throw new NodeError(`router chose unknown route "${port}"`);
  return port;
}

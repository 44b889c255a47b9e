import type { NodeServices } from '../../plugins/sdk/node/services.ts';
import { applyStep } from './barrier.ts';
import type { CompiledNode, CompiledPipeline } from './compile.ts';
import type { JsonValue, NodeInput } from './node-kind.ts';
import { type EngineClock, executeNode, type NodeOutcome } from './node-runner.ts';
import { bounded, type PipelineEvent, type RunCheckpoint, type RunError, type TraceEntry } from './run-record.ts';
import { jsonCopy, type ScopeState } from './run-state.ts';
import { unavailableServices } from './unavailable-services.ts';

/**
 * "Pregel-lite" (../shared/research/m2-architecture.md §1.4), in supersteps:
 * 1. A node whose every incoming edge is settled runs if at least one edge delivered a value, and is skipped if
 *    none did (its own outgoing edges are then settled as skipped, so skipping flows down a branch not taken).
 *    An edge is settled when its source completed (it delivers the source's output, unless the source is a router
 *    that chose another port: then it is skipped) or was skipped. So every node runs at most once per run, and a
 *    join runs once with whatever its branches delivered.
 * 2. All ready nodes run concurrently (at most `concurrency` at a time) against the state as it was at the start of
 *    the step; their effects are applied at the barrier in definition order, never completion order.
 * 3. After each barrier the run's checkpoint (plain JSON) is shown to `onCheckpoint`; `resumeFrom` continues it.
 */

export interface RunBounds {
  /** Node executions per run (retries are attempts of one execution). */
  maxNodeRuns: number;
  maxWallMs: number;
  /** Nodes of one superstep run at the same time: a Worker has 6 simultaneous outbound connections. */
  concurrency: number;
  /** Each node's input and output kept in the trace, in bytes of JSON (a DO row holds 2 MB). */
  traceBytes: number;
}

export const DEFAULT_BOUNDS: RunBounds = { maxNodeRuns: 100, maxWallMs: 120_000, concurrency: 4, traceBytes: 4_096 };

export interface RunPipelineInput {
  pipeline: CompiledPipeline;
  runId: string;
  /** The user's message (what the start node outputs). */
  input: JsonValue;
  session: ScopeState;
  participant: ScopeState;
  clock: EngineClock;
  signal?: AbortSignal;
  bounds?: Partial<RunBounds>;
  onEvent?(event: PipelineEvent): void;
  /**
   * Called after every barrier with the run itself (plain JSON: node outputs are copied through JSON when they are
   * made). Read-only, and it keeps changing after the call: store its JSON, or `jsonCopy` what must be kept.
   */
  onCheckpoint?(checkpoint: Readonly<RunCheckpoint>): void | Promise<void>;
  /** A checkpoint from an interrupted run: continues from its last barrier (nodes in flight then run again). */
  resumeFrom?: RunCheckpoint;
  /** Services per node attempt; without it every service throws (pure pipelines need none). */
  services?(nodeId: string, attempt: number): NodeServices;
}

export function runBounds(pipeline: CompiledPipeline, overrides?: Partial<RunBounds>): RunBounds {
  const limits = pipeline.definition.limits;
  return {
    ...DEFAULT_BOUNDS,
    ...(limits?.maxNodeRuns && { maxNodeRuns: limits.maxNodeRuns }),
    ...(limits?.maxWallMs && { maxWallMs: limits.maxWallMs }),
    ...overrides,
  };
}

function newCheckpoint(input: RunPipelineInput): RunCheckpoint {
  return {
    format: 1,
    runId: input.runId,
    input: jsonCopy(input.input),
    startedAt: input.clock.now(),
    status: 'running',
    superstep: 0,
    nodeRuns: 0,
    nodes: {},
    state: { run: {}, session: jsonCopy(input.session), participant: jsonCopy(input.participant) },
    replies: [],
    tags: [],
    endConversation: null,
    path: [],
    trace: [],
    conflicts: [],
    error: null,
    finishedAt: null,
  };
}

/** Runs (or resumes) one pipeline run to its end; never throws for a node's failure — read `status` and `error`. */
export async function runPipeline(input: RunPipelineInput): Promise<RunCheckpoint> {
  const { pipeline, clock } = input;
  const run = input.resumeFrom ? (JSON.parse(JSON.stringify(input.resumeFrom)) as RunCheckpoint) : newCheckpoint(input);
  if (run.status !== 'running') return run;
  const bounds = runBounds(pipeline, input.bounds);
  const deadline = run.startedAt + bounds.maxWallMs;
  const emit = (event: PipelineEvent) => input.onEvent?.(event);
  const finish = (status: RunCheckpoint['status'], error: RunError | null) => {
    run.status = status;
    run.error = error;
    run.finishedAt = clock.now();
  };

  // Between two checkpoints the run changes only by a barrier (superstep) or by ending (status), so these two say
  // whether there is anything new to hand over, without serialising the run (≈ 5 % of a turn: bench/README.md).
  let written: string | undefined;
  const checkpoint = async () => {
    const key = `${run.superstep}:${run.status}`;
    if (key === written) return;
    written = key;
    await input.onCheckpoint?.(run);
  };

  while (run.status === 'running') {
    if (input.signal?.aborted) {
      finish('cancelled', { nodeId: null, code: 'cancelled', message: 'the run was cancelled' });
      break;
    }
    const ready = settle(pipeline, run, emit);
    if (ready.length === 0) {
      finish('completed', null);
      break;
    }
    if (clock.now() >= deadline) {
      finish('failed', wallTimeError(bounds));
      break;
    }
    if (run.nodeRuns + ready.length > bounds.maxNodeRuns) {
      const over = ready[Math.max(0, bounds.maxNodeRuns - run.nodeRuns)];
      const message = `the run may execute at most ${bounds.maxNodeRuns} nodes`;
      finish('failed', { nodeId: over?.id ?? null, code: 'node_runs_exceeded', message });
      break;
    }
    run.nodeRuns += ready.length;
    const outcomes = await runStep(input, run, ready, bounds, deadline, emit);
    const stateError = applyStep(run, ready, outcomes);
    run.superstep++;
    const failed = ready.findIndex((_, i) => outcomes[i]?.status === 'failed');
    const aborted = outcomes.find((outcome) => outcome.status === 'aborted');
    const failure = outcomes[failed];
    if (stateError) finish('failed', stateError);
    else if (failure?.status === 'failed') {
      const node = ready[failed] as CompiledNode;
      const overTime = failure.timedOut && clock.now() >= deadline;
      finish(
        'failed',
        overTime
          ? wallTimeError(bounds)
          : { nodeId: node.id, code: failure.timedOut ? 'timeout' : 'node_failed', message: failure.error },
      );
    } else if (aborted?.status === 'aborted') finish('aborted', null);
    else if (input.signal?.aborted)
      finish('cancelled', { nodeId: null, code: 'cancelled', message: 'the run was cancelled' });
    await checkpoint();
  }
  // The final state too (completion is found at the top of the loop): the stored checkpoint ends as the trace.
  await checkpoint();
  return run;
}

function wallTimeError(bounds: RunBounds): RunError {
  return { nodeId: null, code: 'wall_time_exceeded', message: `the run took longer than ${bounds.maxWallMs} ms` };
}

/** Marks every node whose inputs all were skipped (repeating down the graph) and returns the ready ones. */
function settle(pipeline: CompiledPipeline, run: RunCheckpoint, emit: (event: PipelineEvent) => void): CompiledNode[] {
  for (let changed = true; changed; ) {
    changed = false;
    for (const node of pipeline.nodes) {
      if (run.nodes[node.id] || node.index === pipeline.start) continue;
      const states = node.incoming.map((edge) => edgeState(pipeline, run, edge));
      if (states.length > 0 && states.every((state) => state === 'skipped')) {
        run.nodes[node.id] = { status: 'skipped' };
        run.trace.push({
          nodeId: node.id,
          kind: node.kind.id,
          superstep: run.superstep,
          status: 'skipped',
          attempts: 0,
          durationMs: 0,
        });
        emit({ type: 'node.skipped', runId: run.runId, nodeId: node.id, kind: node.kind.id });
        changed = true;
      }
    }
  }
  return pipeline.nodes.filter((node) => {
    if (run.nodes[node.id]) return false;
    if (node.index === pipeline.start) return true;
    const states = node.incoming.map((edge) => edgeState(pipeline, run, edge));
    // Nodes without inputs other than start cannot exist in a validated graph (they are unreachable).
    return states.length > 0 && states.every((state) => state !== 'pending') && states.includes('delivered');
  });
}

function edgeState(pipeline: CompiledPipeline, run: RunCheckpoint, index: number): 'pending' | 'delivered' | 'skipped' {
  const edge = pipeline.edges[index];
  const source = edge && pipeline.nodes[edge.from];
  const record = source && run.nodes[source.id];
  if (!edge || !record) return 'pending';
  if (record.status !== 'completed') return 'skipped';
  return record.port === null || record.port === edge.port ? 'delivered' : 'skipped';
}

function inputsOf(pipeline: CompiledPipeline, run: RunCheckpoint, node: CompiledNode): NodeInput[] {
  return node.incoming.flatMap((index) => {
    const edge = pipeline.edges[index];
    const source = edge && pipeline.nodes[edge.from];
    const record = source && run.nodes[source.id];
    if (!edge || !source || record?.status !== 'completed' || edgeState(pipeline, run, index) !== 'delivered')
      return [];
    return [{ from: source.id, port: edge.port, value: record.output }];
  });
}

async function runStep(
  input: RunPipelineInput,
  run: RunCheckpoint,
  ready: CompiledNode[],
  bounds: RunBounds,
  deadline: number,
  emit: (event: PipelineEvent) => void,
): Promise<NodeOutcome[]> {
  // One failure ends the run, so it stops the rest of the step instead of letting long calls finish for nothing.
  const step = new AbortController();
  const onCancel = () => step.abort(input.signal?.reason);
  input.signal?.addEventListener('abort', onCancel, { once: true });
  const outcomes: NodeOutcome[] = new Array(ready.length);
  const started: number[] = new Array(ready.length);
  const durations: number[] = new Array(ready.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < ready.length; i = next++) {
      const node = ready[i] as CompiledNode;
      started[i] = input.clock.now();
      const outcome = await executeNode({
        runId: run.runId,
        node,
        inputs: inputsOf(input.pipeline, run, node),
        runInput: run.input,
        state: run.state,
        clock: input.clock,
        signal: step.signal,
        deadline,
        emit,
        services: input.services ?? unavailableServices,
      });
      outcomes[i] = outcome;
      durations[i] = input.clock.now() - (started[i] ?? 0);
      if (outcome.status === 'failed' || outcome.status === 'aborted') step.abort(new Error('superstep stopped'));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(bounds.concurrency, ready.length) }, worker));
  } finally {
    input.signal?.removeEventListener('abort', onCancel);
  }
  for (const [i, outcome] of outcomes.entries()) {
    const node = ready[i] as CompiledNode;
    run.trace.push(traceEntry(input, run, node, outcome, started[i] ?? 0, durations[i] ?? 0, bounds));
  }
  return outcomes;
}

function traceEntry(
  input: RunPipelineInput,
  run: RunCheckpoint,
  node: CompiledNode,
  outcome: NodeOutcome,
  startedAt: number,
  durationMs: number,
  bounds: RunBounds,
): TraceEntry {
  const nodeInput: JsonValue =
    node.index === input.pipeline.start
      ? run.input
      : inputsOf(input.pipeline, run, node).map(({ from, port, value }) => ({ from, port, value }));
  const entry: TraceEntry = {
    nodeId: node.id,
    kind: node.kind.id,
    superstep: run.superstep,
    status: outcome.status,
    attempts: outcome.attempts,
    startedAt,
    durationMs,
    input: bounded(nodeInput, bounds.traceBytes),
  };
  if (outcome.status === 'completed') {
    entry.output = bounded(outcome.output, bounds.traceBytes);
    if (outcome.port) entry.port = outcome.port;
    const { inputTokens, outputTokens } = outcome.effects;
    if (inputTokens || outputTokens) entry.tokens = { inputTokens, outputTokens };
    if (outcome.effects.tools.length > 0) entry.tools = outcome.effects.tools;
  } else if (outcome.status === 'failed') entry.error = outcome.error;
  else if (outcome.status === 'aborted') entry.error = `aborted: ${outcome.message}`;
  return entry;
}

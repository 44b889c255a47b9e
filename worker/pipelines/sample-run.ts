import type { NodeServices } from '../../plugins/sdk/node/services.ts';
import type { CompiledNode } from './compile.ts';
import type { JsonValue, NodeKind } from './node-kind.ts';
import { type EngineClock, executeNode } from './node-runner.ts';
import { bounded, type Truncated } from './run-record.ts';
import type { PipelineState, RunTag, StateWrite } from './run-state.ts';

/**
 * One node kind run once, alone, on a sample input and state: the editor's "Run with sample input". The node runs
 * exactly as inside a pipeline (executeNode: the same context, buffered effects and timeout) but nothing it does is
 * applied: its state writes, tags, replies and end-conversation are returned, never committed. What it may reach
 * beyond that is decided by the `services` the caller hands in (sample-services.ts: no email, no model, no history).
 */

/** The node's id in a sample run (the code node's `ctx.nodeId`, the trace of its logs). */
export const SAMPLE_NODE_ID = 'sample';
/** The input arrives from a pretend predecessor, as if an edge from it delivered `input`. */
export const SAMPLE_SOURCE_ID = 'sample_input';
// What the editor can show: a trace entry keeps 4 KB; a sample answer may be larger but stays far under the 1 MiB
// the Worker accepts for a request, so a runaway template cannot build a huge response.
export const SAMPLE_OUTPUT_BYTES = 64 * 1024;

export interface SampleRunRequest {
  kind: NodeKind;
  /** Already parsed by the kind's settings schema. */
  settings: unknown;
  input: JsonValue;
  state: PipelineState;
  services: NodeServices;
  clock: EngineClock;
  timeoutMs: number;
}

export interface SampleRunResult {
  /** What the node returned (a `Truncated` marker past SAMPLE_OUTPUT_BYTES); null when it failed. */
  output: JsonValue | Truncated;
  /** The port a router chose. */
  route?: string;
  /** What the node would write, in order; nothing is committed. */
  stateWrites: StateWrite[];
  tags: Omit<RunTag, 'nodeId'>[];
  /** Messages it would send mid-run (a reply node), and whether it would end the conversation. */
  replies: string[];
  endConversation?: { reason: string };
  tokens?: { input: number; output: number };
  error?: { code: 'node_failed' | 'timeout' | 'aborted'; message: string };
  durationMs: number;
}

export async function runSample(request: SampleRunRequest): Promise<SampleRunResult> {
  const { clock } = request;
  const node: CompiledNode = {
    id: SAMPLE_NODE_ID,
    index: 0,
    kind: request.kind,
    settings: request.settings,
    // One attempt: a sample shows what the node does, retrying would only hide a flaky failure.
    retry: { attempts: 1, backoffMs: 0 },
    timeoutMs: request.timeoutMs,
    incoming: [0],
  };
  const started = clock.now();
  const outcome = await executeNode({
    runId: `run_sample_${started}`,
    node,
    inputs: [{ from: SAMPLE_SOURCE_ID, port: 'out', value: request.input }],
    runInput: request.input,
    state: request.state,
    clock,
    signal: new AbortController().signal,
    deadline: started + request.timeoutMs,
    emit: () => {},
    services: () => request.services,
  });
  const durationMs = clock.now() - started;
  const empty = { stateWrites: [], tags: [], replies: [], durationMs };
  switch (outcome.status) {
    case 'completed': {
      const { effects } = outcome;
      return {
        output: bounded(outcome.output, SAMPLE_OUTPUT_BYTES),
        ...(outcome.port && { route: outcome.port }),
        stateWrites: effects.writes,
        tags: effects.tags,
        replies: effects.replies,
        ...(effects.end && { endConversation: effects.end }),
        ...((effects.inputTokens > 0 || effects.outputTokens > 0) && {
          tokens: { input: effects.inputTokens, output: effects.outputTokens },
        }),
        durationMs,
      };
    }
    case 'failed':
      return {
        output: null,
        ...empty,
        error: { code: outcome.timedOut ? 'timeout' : 'node_failed', message: outcome.error },
      };
    case 'aborted':
      // abort_with_message: in a conversation the run ends and the user gets this message.
      return { output: null, ...empty, error: { code: 'aborted', message: outcome.message } };
    case 'cancelled':
      return { output: null, ...empty, error: { code: 'node_failed', message: 'cancelled' } };
  }
}

import type { JsonValue, NodeToolCall } from './node-kind.ts';
import type { PipelineState, ReplyMessage, RunTag, StateWrite, WriteConflict } from './run-state.ts';

/**
 * What a run leaves behind: the checkpoint written at every barrier (plain JSON, so a Durable Object can store it
 * and resume after eviction) which, once the run is over, is also its trace.
 */

/** A value kept whole when its JSON is at most the bound, else this marker with the start of its JSON. */
export interface Truncated {
  truncated: true;
  bytes: number;
  preview: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `value`, or a `Truncated` marker holding at most `maxBytes` bytes of its JSON (cut on a character boundary). */
export function bounded(value: JsonValue, maxBytes: number): JsonValue | Truncated {
  const json = JSON.stringify(value) ?? 'null';
  // JSON is at most 3 bytes per UTF-16 unit, so short strings skip the encoding.
  if (json.length * 3 <= maxBytes) return value;
  const bytes = encoder.encode(json);
  if (bytes.length <= maxBytes) return value;
  // A partial multi-byte sequence at the cut decodes as U+FFFD; drop it.
  const preview = decoder.decode(bytes.subarray(0, maxBytes)).replace(/\uFFFD$/, '');
  return { truncated: true, bytes: bytes.length, preview };
}

export type NodeRunStatus = 'completed' | 'failed' | 'skipped' | 'cancelled' | 'aborted';

export interface TraceEntry {
  nodeId: string;
  kind: string;
  superstep: number;
  status: NodeRunStatus;
  attempts: number;
  /** Epoch ms from the injected clock; 0 and absent for skipped nodes. */
  startedAt?: number;
  durationMs: number;
  input?: JsonValue | Truncated;
  output?: JsonValue | Truncated;
  /** The port a router followed. */
  port?: string;
  tokens?: { inputTokens: number; outputTokens: number };
  /** The tool calls the node's model made, with previews of arguments and results and how approvals went. */
  tools?: NodeToolCall[];
  error?: string;
}

export interface RunError {
  /** The node at fault, or null for a run-level stop (bounds, cancellation). */
  nodeId: string | null;
  code: 'node_failed' | 'timeout' | 'node_runs_exceeded' | 'wall_time_exceeded' | 'cancelled' | 'invalid_state';
  message: string;
}

/** A node's outcome as the scheduler needs it; absent = not run yet. */
export type NodeRecord =
  | { status: 'completed'; output: JsonValue; port: string | null }
  | { status: 'skipped' }
  | { status: 'failed' }
  | { status: 'aborted'; message: string };

export type RunStatus = 'running' | 'completed' | 'failed' | 'aborted' | 'cancelled';

export interface RunCheckpoint {
  format: 1;
  runId: string;
  input: JsonValue;
  startedAt: number;
  status: RunStatus;
  /** Supersteps completed so far. */
  superstep: number;
  /** Node executions started (retries not counted), against `maxNodeRuns`. */
  nodeRuns: number;
  nodes: Record<string, NodeRecord>;
  state: PipelineState;
  replies: ReplyMessage[];
  tags: RunTag[];
  endConversation: { nodeId: string; reason: string } | null;
  /** Node ids in the order their results were applied. */
  path: string[];
  trace: TraceEntry[];
  conflicts: (WriteConflict & { superstep: number })[];
  /**
   * Participant-data writes of the applied steps, in the order the barriers applied them: a host commits them (not
   * the merged state) so concurrent runs of one participant in two conversations both apply. Absent until one is made.
   */
  participantWrites?: StateWrite[];
  error: RunError | null;
  finishedAt: number | null;
}

export type PipelineEvent =
  | { type: 'node.started'; runId: string; nodeId: string; kind: string; attempt: number }
  | {
      type: 'node.completed';
      runId: string;
      nodeId: string;
      kind: string;
      attempt: number;
      durationMs: number;
      port?: string;
    }
  | {
      type: 'node.failed';
      runId: string;
      nodeId: string;
      kind: string;
      attempt: number;
      durationMs: number;
      error: string;
      willRetry: boolean;
    }
  | { type: 'node.skipped'; runId: string; nodeId: string; kind: string };

import type { PipelineEvent } from '../../../../worker/pipelines/run-record.ts';

/** One node of the reply being generated, as the test chat shows it: a compact line per node. */
export interface NodeProgress {
  nodeId: string;
  kind: string;
  status: 'running' | 'completed' | 'failed' | 'retrying' | 'skipped';
  attempt: number;
  durationMs: number | null;
  port: string | null;
  error: string | null;
}

const NODE_EVENTS = new Set(['node.started', 'node.completed', 'node.failed', 'node.skipped']);

/** Whether a stream frame is a pipeline node event (they arrive on the conversation's SSE/WebSocket stream). */
export function isNodeEvent(frame: { type?: unknown }): frame is PipelineEvent {
  return typeof frame.type === 'string' && NODE_EVENTS.has(frame.type);
}

/** The progress after one event; a node keeps its line, updated in place, in the order it first appeared. */
export function nodeProgress(list: readonly NodeProgress[], event: PipelineEvent): NodeProgress[] {
  const current = list.find((node) => node.nodeId === event.nodeId);
  const base: NodeProgress = current ?? {
    nodeId: event.nodeId,
    kind: event.kind,
    status: 'running',
    attempt: 1,
    durationMs: null,
    port: null,
    error: null,
  };
  let next: NodeProgress;
  switch (event.type) {
    case 'node.started':
      next = { ...base, status: 'running', attempt: event.attempt, durationMs: null };
      break;
    case 'node.completed':
      next = {
        ...base,
        status: 'completed',
        attempt: event.attempt,
        durationMs: event.durationMs,
        port: event.port ?? null,
        error: null,
      };
      break;
    case 'node.failed':
      next = {
        ...base,
        status: event.willRetry ? 'retrying' : 'failed',
        attempt: event.attempt,
        durationMs: event.durationMs,
        error: event.error,
      };
      break;
    case 'node.skipped':
      next = { ...base, status: 'skipped' };
      break;
  }
  return current ? list.map((node) => (node === current ? next : node)) : [...list, next];
}

/** The line's text: `router (llm_router) ✓ 120 ms → billing`, `http (http_request) ✗ attempt 2: HTTP 502`. */
export function progressLine(node: NodeProgress): string {
  const mark = { running: '…', completed: '✓', failed: '✗', retrying: '↻', skipped: '–' }[node.status];
  const parts = [`${node.nodeId} (${node.kind}) ${mark}`];
  if (node.durationMs !== null) parts.push(`${Math.round(node.durationMs)} ms`);
  if (node.attempt > 1) parts.push(`attempt ${node.attempt}`);
  let line = parts.join(' ');
  if (node.port) line += ` → ${node.port}`;
  if (node.error) line += `: ${node.error}`;
  return line;
}

import type { MessageTrace, TraceEntry } from '../../../../worker/conversations/trace-schemas.ts';

/** One line of "Why this reply": a node of the run, in the order the run applied it. */
export interface TraceRow {
  nodeId: string;
  kind: string;
  status: TraceEntry['status'];
  /** The node the run's error names (shown in red), or a node that failed. */
  failing: boolean;
  attempts: number;
  durationMs: number;
  startedAt: number | null;
  tokens: string | null;
  port: string | null;
  output: string | null;
  error: string | null;
  /**
   * The node's tool calls (an LLM node's model's, a Tool node's own): one line each (function, outcome, how its
   * approval went, the result's start) and, to expand, the arguments and result as the trace keeps them.
   */
  tools: TraceToolCall[];
}

export interface TraceToolCall {
  line: string;
  arguments: string;
  output: string;
}

const PREVIEW_CHARS = 160;

/** A node's output as one short line: text as it is, anything else as JSON, truncated markers by their preview. */
export function preview(value: unknown): string | null {
  if (value === undefined) return null;
  const truncated =
    typeof value === 'object' && value !== null && (value as { truncated?: unknown }).truncated === true
      ? (value as { preview?: unknown; bytes?: unknown })
      : null;
  const text = truncated
    ? `${String(truncated.preview ?? '')}… (${String(truncated.bytes)} bytes)`
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
}

/**
 * The run's nodes in path order (the order their results were applied), then the nodes not on the path (skipped,
 * failed, cancelled) in trace order. A node retried or run in several supersteps keeps its last entry.
 */
export function traceRows(run: MessageTrace): TraceRow[] {
  const last = new Map<string, TraceEntry>();
  for (const entry of run.trace) last.set(entry.nodeId, entry);
  const order = [...new Set([...run.path, ...run.trace.map((entry) => entry.nodeId)])];
  return order.flatMap((nodeId) => {
    const entry = last.get(nodeId);
    if (!entry) return [];
    return [
      {
        nodeId,
        kind: entry.kind,
        status: entry.status,
        failing: entry.status === 'failed' || run.error?.nodeId === nodeId,
        attempts: entry.attempts,
        durationMs: entry.durationMs,
        startedAt: entry.startedAt ?? null,
        tokens: entry.tokens ? `${entry.tokens.inputTokens} in / ${entry.tokens.outputTokens} out` : null,
        port: entry.port ?? null,
        output: preview(entry.output),
        error: entry.error ?? null,
        tools: (entry.tools ?? []).map((call) => ({
          line: toolLine(call),
          arguments: call.arguments,
          output: call.output,
        })),
      },
    ];
  });
}

/** `current_time ✓ (approved by user) → {"time":…}`: a tool call as one line of the trace. */
export function toolLine(call: NonNullable<TraceEntry['tools']>[number]): string {
  const approval = call.approval ? ` (${call.approval.decision} by ${call.approval.by})` : '';
  return `${call.name} ${call.ok ? 'ok' : 'failed'}${approval} → ${preview(call.output) ?? ''}`;
}

import { useState } from 'preact/hooks';
import type { MessageTrace } from '../../../../worker/conversations/trace-schemas.ts';
import { ErrorBanner } from '../../components/feedback';
import { pretty } from '../../components/tool-calls';
import { formatNumber } from '../../lib/format';
import { type ApiError, get } from '../../lib/http';
import { toApiError } from '../../lib/resource';
import { traceRows } from './trace-view';

type TraceState =
  | { status: 'idle' | 'loading' | 'none' }
  | { status: 'ready'; run: MessageTrace }
  | { status: 'error'; error: ApiError };

/** The run behind one reply: each node on its path with status, time, tokens and output; the failing node in red. */
function TraceTable({ run }: { run: MessageTrace }) {
  const rows = traceRows(run);
  return (
    <>
      <p class="muted small">
        Run {run.runId}: {run.status}
        {run.finishedAt !== null && `, ${formatNumber(run.finishedAt - run.startedAt)} ms`}
        {run.error && ` — ${run.error.code}: ${run.error.message}`}
      </p>
      <ol class="trace">
        {rows.map((row) => (
          <li key={row.nodeId} class={`trace-node ${row.status}${row.failing ? ' failing' : ''}`}>
            <div class="row">
              <strong>{row.nodeId}</strong>
              <span class="muted small">{row.kind}</span>
              <span class={`badge${row.failing ? ' error' : ''}`}>{row.status}</span>
              {row.status !== 'skipped' && <span class="small">{formatNumber(row.durationMs)} ms</span>}
              {row.attempts > 1 && <span class="small">{row.attempts} attempts</span>}
              {row.tokens && <span class="small">{row.tokens} tokens</span>}
              {row.port && <span class="small">→ {row.port}</span>}
            </div>
            {row.error && <div class="trace-error">{row.error}</div>}
            {row.tools.length > 0 && (
              <ul class="trace-tools" aria-label={`Tool calls of ${row.nodeId}`}>
                {row.tools.map((call, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a trace is read-only; lines never move.
                  <li key={i} class="small">
                    <details>
                      <summary>{call.line}</summary>
                      <div class="muted small">Arguments</div>
                      <pre class="tool-json">{pretty(call.arguments)}</pre>
                      <div class="muted small">Result</div>
                      <pre class="tool-json">{pretty(call.output)}</pre>
                    </details>
                  </li>
                ))}
              </ul>
            )}
            {row.output !== null && <code class="trace-output">{row.output}</code>}
          </li>
        ))}
      </ol>
    </>
  );
}

/** "Why this reply" under a bot message: its pipeline trace, loaded when opened. */
export function WhyThisReply({ conversationId, messageId }: { conversationId: string; messageId: string }) {
  const [state, setState] = useState<TraceState>({ status: 'idle' });
  async function load() {
    if (state.status !== 'idle') return;
    setState({ status: 'loading' });
    try {
      const run = await get<MessageTrace>(`/api/v1/conversations/${conversationId}/messages/${messageId}/trace`);
      setState({ status: 'ready', run });
    } catch (caught) {
      const error = toApiError(caught);
      setState(error.status === 404 ? { status: 'none' } : { status: 'error', error });
    }
  }
  return (
    <details class="why-this-reply" onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && void load()}>
      <summary>Why this reply</summary>
      {state.status === 'loading' && <p class="muted small">Loading the trace…</p>}
      {state.status === 'none' && <p class="muted small">No trace (replies before pipelines).</p>}
      {state.status === 'error' && <ErrorBanner title="Couldn't load the trace" error={state.error} />}
      {state.status === 'ready' && <TraceTable run={state.run} />}
    </details>
  );
}

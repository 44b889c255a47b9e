import type { ToolApprovalView } from '../../../worker/conversations/tool-approval-schemas.ts';
import { pretty, toolCallsOf } from './tool-calls';

/**
 * The tool calls behind a reply (its `metadata.tools`): function, arguments and result, and how an approval went.
 * Shown under the reply in transcripts and the test chat (issue 18 §6).
 */
export function ToolCalls({ metadata }: { metadata: Record<string, unknown> }) {
  const calls = toolCallsOf(metadata);
  if (calls.length === 0) return null;
  return (
    <details class="tool-calls">
      <summary>
        {calls.length === 1 ? '1 tool call' : `${calls.length} tool calls`}: {calls.map((call) => call.name).join(', ')}
      </summary>
      <ol>
        {calls.map((call) => (
          <li key={call.id}>
            <div class="row">
              <strong>{call.name}</strong>
              <span class={`badge${call.ok ? '' : ' error'}`}>{call.ok ? 'ok' : 'error'}</span>
              {call.approval && (
                <span class={`badge${call.approval.decision === 'denied' ? ' error' : ''}`}>
                  {call.approval.decision} by {call.approval.by}
                </span>
              )}
            </div>
            <div class="muted small">Arguments</div>
            <pre class="tool-json">{pretty(call.arguments)}</pre>
            <div class="muted small">Result</div>
            <pre class="tool-json">{pretty(call.output)}</pre>
          </li>
        ))}
      </ol>
    </details>
  );
}

/** A tool call the test chat's turn waits on, with Approve / Deny (plain buttons: Tab and Enter/Space reach them). */
export function ApprovalRequest({
  approval,
  outcome,
  busy,
  decide,
}: {
  approval: ToolApprovalView;
  outcome: { decision: string; by: string } | undefined;
  busy: boolean;
  decide(decision: 'approve' | 'deny'): void;
}) {
  return (
    <section class="approval-request" aria-label={`Approve tool call ${approval.name}`}>
      <p>
        The model wants to call <strong>{approval.name}</strong> (node {approval.nodeId}) with:
      </p>
      <pre class="tool-json">{pretty(approval.arguments)}</pre>
      {outcome ? (
        <p role="status" class={outcome.decision === 'denied' ? 'bubble-error' : 'muted'}>
          {outcome.decision === 'approved' ? 'Approved' : 'Denied'} ({outcome.by})
        </p>
      ) : (
        <div class="row">
          <button type="button" class="button primary" disabled={busy} onClick={() => decide('approve')}>
            Approve
          </button>
          <button type="button" class="button" disabled={busy} onClick={() => decide('deny')}>
            Deny
          </button>
        </div>
      )}
    </section>
  );
}

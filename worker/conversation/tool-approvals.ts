import type { ToolCall } from '../../plugins/sdk/index.ts';
import { newId } from '../ids.ts';
import type { Clock } from '../ports/clock.ts';
import type { ApprovalDecider, ApprovalDecision, ConversationEventBody, ToolApprovalRequest } from './protocol.ts';

/** How a call that needed approval was decided (the tool log and the trace keep it). */
export interface ApprovalOutcome {
  decision: ApprovalDecision;
  by: ApprovalDecider;
}

export interface ApprovalAsk {
  turnId: string;
  nodeId: string;
  messageId: string | null;
  call: ToolCall;
  timeoutMs: number;
}

export type DecideResult =
  | { ok: true; approval: ToolApprovalRequest; decision: ApprovalDecision }
  | { ok: false; code: 'not_found' }
  | { ok: false; code: 'already_decided'; status: string; by: string | null };

interface ApprovalRow extends Record<string, SqlStorageValue> {
  id: string;
  turn_id: string;
  message_id: string | null;
  node_id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: string;
  decided_by: string | null;
  requested_at: number;
  expires_at: number;
  decided_at: number | null;
}

// The arguments a person reads before deciding; the model's JSON text beyond this is cut (a row holds at most 2 MB
// and nobody reviews 16 KB of arguments on a phone).
export const MAX_APPROVAL_ARGUMENT_CHARS = 8_000;

const request = (row: ApprovalRow): ToolApprovalRequest => ({
  id: row.id,
  callId: row.call_id,
  name: row.name,
  arguments: row.arguments,
  nodeId: row.node_id,
  messageId: row.message_id,
  requestedAt: row.requested_at,
  expiresAt: row.expires_at,
});

/**
 * Tool calls waiting for a person, in the conversation object's SQLite (storage migration 7) so a reconnecting
 * client sees what is pending; the turn awaits a promise the decision resolves, so the object spends no CPU while it
 * waits. A row's status changes once, from `pending`: a second decision, or one after the timeout, is refused.
 */
export class ToolApprovals {
  private readonly waiters = new Map<string, (outcome: ApprovalOutcome) => void>();

  constructor(
    private readonly sql: SqlStorage,
    private readonly clock: Clock,
    private readonly emit: (event: ConversationEventBody) => void,
  ) {}

  /** Asks for a decision and waits for it, the timeout (denied) or the turn's cancellation (denied). */
  ask(input: ApprovalAsk, signal: AbortSignal): Promise<ApprovalOutcome> {
    const now = this.clock.now();
    const id = newId('tap', now);
    const row: ApprovalRow = {
      id,
      turn_id: input.turnId,
      message_id: input.messageId,
      node_id: input.nodeId,
      call_id: input.call.id,
      name: input.call.name,
      arguments: input.call.arguments.slice(0, MAX_APPROVAL_ARGUMENT_CHARS),
      status: 'pending',
      decided_by: null,
      requested_at: now,
      expires_at: now + input.timeoutMs,
      decided_at: null,
    };
    this.sql.exec(
      `INSERT INTO tool_approvals (id, turn_id, message_id, node_id, call_id, name, arguments, status, requested_at,
         expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      row.id,
      row.turn_id,
      row.message_id,
      row.node_id,
      row.call_id,
      row.name,
      row.arguments,
      row.requested_at,
      row.expires_at,
    );
    this.emit({ type: 'tool.approval_requested', messageId: input.messageId, approval: request(row) });
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(id, 'denied', 'timeout'), input.timeoutMs);
      const onAbort = () => this.settle(id, 'denied', 'cancelled');
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.set(id, (outcome) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      });
      if (signal.aborted) onAbort();
    });
  }

  /** A person's decision (REST or socket frame). Exactly once: anything but a pending request is refused. */
  decide(id: string, decision: ApprovalDecision): DecideResult {
    const row = this.row(id);
    if (!row) return { ok: false, code: 'not_found' };
    if (!this.settle(id, decision, 'user')) {
      const now = this.row(id);
      return { ok: false, code: 'already_decided', status: now?.status ?? row.status, by: now?.decided_by ?? null };
    }
    return { ok: true, approval: request(row), decision };
  }

  /** Requests still waiting, oldest first: what a client that (re)loads the history shows. */
  pending(): ToolApprovalRequest[] {
    return this.sql
      .exec<ApprovalRow>("SELECT * FROM tool_approvals WHERE status = 'pending' ORDER BY requested_at, id")
      .toArray()
      .map(request);
  }

  /**
   * Memory is fresh (a restart, an eviction): no turn waits for the requests still pending, so they are closed as
   * denied by `interrupted` (their turn is closed or resumed by TurnRunner.closeInterrupted, which asks again).
   */
  closeStale(): void {
    for (const approval of this.pending()) {
      if (!this.waiters.has(approval.id)) this.settle(approval.id, 'denied', 'interrupted');
    }
  }

  /** Moves a pending request to its decision, announces it and wakes its turn; false when it was not pending. */
  private settle(id: string, decision: ApprovalDecision, by: ApprovalDecider): boolean {
    const cursor = this.sql.exec(
      "UPDATE tool_approvals SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
      decision,
      by,
      this.clock.now(),
      id,
    );
    cursor.toArray();
    if (cursor.rowsWritten === 0) return false;
    const row = this.row(id) as ApprovalRow;
    this.emit({
      type: 'tool.approval_decided',
      messageId: row.message_id,
      approvalId: id,
      callId: row.call_id,
      name: row.name,
      decision,
      by,
    });
    const wake = this.waiters.get(id);
    this.waiters.delete(id);
    wake?.({ decision, by });
    return true;
  }

  private row(id: string): ApprovalRow | undefined {
    return this.sql.exec<ApprovalRow>('SELECT * FROM tool_approvals WHERE id = ?', id).toArray()[0];
  }
}

import { ApiError } from '../http/errors.ts';
import { parseClientFrame } from './client-messages.ts';
import type { MessageInput } from './inputs.ts';
import type { ConversationMeta } from './meta.ts';
import type { ApprovalDecision, ConversationEvent } from './protocol.ts';
import type { DecideResult } from './tool-approvals.ts';

export interface SocketAttachment {
  meta: ConversationMeta;
  /** Set on widget sockets: the participant whose message quota each message.send counts against. */
  participantId?: string;
  /** The client did not ask for pipeline node progress (`?nodeEvents=true`): replays skip node.* events too. */
  skipNodeEvents?: boolean;
}

/** Hibernation tag of the sockets that get pipeline node progress (every socket, unless it opted out). */
export const NODE_EVENTS_TAG = 'node-events';

/** A pipeline node's progress event (node.started, node.completed, node.failed, node.skipped). */
export function isNodeEvent(event: { type: string }): boolean {
  return event.type.startsWith('node.');
}

interface ConversationActions {
  eventsAfter(seq: number): ConversationEvent[];
  cancel(): Promise<unknown>;
  decide(approvalId: string, decision: ApprovalDecision): Promise<DecideResult>;
  accept(meta: ConversationMeta, input: MessageInput): Promise<{ afterSeq: number; duplicate: boolean }>;
  /** Counts one message against the participant's quota; the Worker never sees socket frames, so this object must. */
  limit(participantId: string): Promise<{ allowed: boolean; resetSeconds: number }>;
}

/** One frame from a WebSocket client (docs/protocol.md). Invalid frames are rejected; the socket stays open. */
export async function handleClientFrame(ws: WebSocket, frame: string | ArrayBuffer, actions: ConversationActions) {
  const parsed = parseClientFrame(frame);
  if (!parsed.ok) return ws.send(JSON.stringify({ type: 'rejected', error: parsed.error }));
  const message = parsed.message;
  if (message.type === 'resume') return replay(ws, actions.eventsAfter(message.after));
  if (message.type === 'cancel') return void (await actions.cancel());
  if (message.type === 'tool.approval') {
    const result = await actions.decide(message.approvalId, message.decision === 'approve' ? 'approved' : 'denied');
    // The decision itself reaches every client as `tool.approval_decided`; only a refused one is answered here.
    if (!result.ok)
      ws.send(JSON.stringify({ type: 'rejected', approvalId: message.approvalId, error: refusal(result) }));
    return;
  }
  const { meta, participantId } = ws.deserializeAttachment() as SocketAttachment;
  if (participantId) {
    const decision = await actions.limit(participantId);
    if (!decision.allowed) {
      const error = {
        code: 'rate_limited',
        message: 'Too many messages; wait a moment',
        retryAfterSeconds: decision.resetSeconds,
      };
      // The message's own id, so a client that sent several at once knows which one was refused.
      return ws.send(JSON.stringify({ type: 'rejected', clientMessageId: message.clientMessageId, error }));
    }
  }
  try {
    const accepted = await actions.accept(meta, message);
    // A re-sent clientMessageId: this socket gets the original turn's events again.
    if (accepted.duplicate) replay(ws, actions.eventsAfter(accepted.afterSeq));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const rejected = {
      type: 'rejected',
      clientMessageId: message.clientMessageId,
      error: { code: error.code, message: error.message },
    };
    ws.send(JSON.stringify(rejected));
  }
}

/** Why a decision was refused, as the REST route's error says it (404 / 409). */
export function refusal(result: Exclude<DecideResult, { ok: true }>): { code: string; message: string } {
  if (result.code === 'not_found') return { code: 'not_found', message: 'No such tool approval in this conversation' };
  return {
    code: 'approval_decided',
    message: `This tool call was already decided (${result.status}${result.by ? ` by ${result.by}` : ''})`,
  };
}

export function replay(ws: WebSocket, events: readonly ConversationEvent[]): void {
  const skipNodeEvents = (ws.deserializeAttachment() as SocketAttachment | null)?.skipNodeEvents === true;
  for (const event of events) if (!(skipNodeEvents && isNodeEvent(event))) ws.send(JSON.stringify(event));
}

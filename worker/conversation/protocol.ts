import type { FinishReason, JsonObject, ToolCall } from '../../plugins/sdk/index.ts';
import type { PipelineEvent } from '../pipelines/run-record.ts';

/**
 * The conversation event protocol, shared by SSE and WebSocket clients (docs/protocol.md). Every event carries
 * `seq`, strictly increasing per conversation, so a client that reconnects asks for "everything after N".
 */
export type MessageRole = 'user' | 'assistant';
export type MessageStatus = 'streaming' | 'complete' | 'stopped' | 'error';

export interface MessageError {
  code: string;
  message: string;
}

export interface ConversationMessage {
  id: string;
  position: number;
  role: MessageRole;
  content: string;
  status: MessageStatus;
  turnId: string;
  clientMessageId: string | null;
  error: MessageError | null;
  providerId: string | null;
  model: string | null;
  usage: { inputTokens: number; outputTokens: number } | null;
  finishReason: FinishReason | null;
  metadata: JsonObject;
  createdAt: number;
  completedAt: number | null;
}

/** A tool call waiting for a person's decision (docs/protocol.md, "Tool approval"). */
export interface ToolApprovalRequest {
  /** What a decision names: `POST …/tool-approvals/{id}` or the socket's `tool.approval` frame. */
  id: string;
  callId: string;
  /** The function the model called, and its arguments as the model's JSON text. */
  name: string;
  arguments: string;
  /** The pipeline node whose model made the call. */
  nodeId: string;
  /** The reply the call belongs to when it streams to the user, else null. */
  messageId: string | null;
  requestedAt: number;
  /** When the wait ends as denied (`by: "timeout"`). */
  expiresAt: number;
}

export type ApprovalDecision = 'approved' | 'denied';
/** Who decided: the user, the timeout, a stop of the reply, a restart of the object, or the node's `otherwise` rule. */
export type ApprovalDecider = 'user' | 'timeout' | 'cancelled' | 'interrupted' | 'rule';

export type ConversationEventBody =
  | { type: 'message.created'; message: ConversationMessage }
  | { type: 'delta'; messageId: string; text: string }
  | { type: 'tool.call'; messageId: string; call: ToolCall }
  | { type: 'tool.result'; messageId: string; callId: string; name: string; ok: boolean; output: string }
  /** The turn waits for a person to approve or deny this call; `tool.approval_decided` follows, exactly once. */
  | { type: 'tool.approval_requested'; messageId: string | null; approval: ToolApprovalRequest }
  | {
      type: 'tool.approval_decided';
      messageId: string | null;
      approvalId: string;
      callId: string;
      name: string;
      decision: ApprovalDecision;
      by: ApprovalDecider;
    }
  | { type: 'message.completed'; message: ConversationMessage }
  /** A stored message changed after it completed (e.g. feedback was added to its metadata). */
  | { type: 'message.updated'; message: ConversationMessage }
  | { type: 'error'; messageId: string | null; error: MessageError }
  | { type: 'typing'; active: boolean }
  /**
   * A pipeline node's progress (schemaVersion 2 chatbots only): `node.started`, `node.completed` (with timing),
   * `node.failed`, `node.skipped`. For progress views (the dashboard's test chat); the widget and channels ignore them.
   */
  | PipelineEvent;

export type ConversationEvent = ConversationEventBody & { seq: number; at: number };

/** One Server-Sent Events frame (WHATWG HTML §9.2). `id` is what the browser sends back as Last-Event-ID. */
export function sseFrame(event: ConversationEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

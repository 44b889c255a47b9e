import type { JsonObject } from '../../plugins/sdk/json.ts';
import type { Env } from '../env.ts';
import type { BotMessageRequest, BotMessageResult } from '../events/bot-message.ts';
import type { FeedbackRating, FeedbackResult } from './feedback.ts';
import type { ConversationMeta } from './meta.ts';
import type { ApprovalDecision, ConversationMessage, ToolApprovalRequest } from './protocol.ts';
import type { SessionStateResult } from './session-state.ts';
import type { DecideResult } from './tool-approvals.ts';
import type { MessageTrace } from './trace.ts';

/**
 * What callers may ask of a conversation object. Declared here rather than picked from the class, so the core names
 * no composition root; ConversationDO (worker/conversation-do/) `implements` it, which keeps the two in step.
 */
export interface ConversationRpc {
  listMessages(page?: { afterPosition: number; limit: number }): Promise<ConversationMessage[]>;
  getMessage(id: string): Promise<ConversationMessage | null>;
  cancel(): Promise<{ cancelled: boolean; turnId: string | null }>;
  trigger(
    meta: ConversationMeta,
    input: { text: string } | { instruction: string },
  ): Promise<{ turnId: string; message: ConversationMessage | null }>;
  /** Ends the conversation; `by` (default `api`) is who, for conversation_ended triggers (worker/events). */
  end(meta: ConversationMeta, by?: 'user' | 'bot' | 'api' | 'event' | 'admin'): Promise<void>;
  /** "Send a message to the bot" (worker/events/bot-message.ts): idempotent, after any running turn. */
  botMessage(meta: ConversationMeta, request: BotMessageRequest): Promise<BotMessageResult>;
  /** Every message, the last seq, and the tool calls waiting for approval (a reloaded client shows them). */
  history(): Promise<{ data: ConversationMessage[]; lastSeq: number; pendingApprovals: ToolApprovalRequest[] }>;
  /** A person's decision on a tool call waiting for approval: exactly once (docs/tools.md#approval). */
  decideToolApproval(approvalId: string, decision: ApprovalDecision): Promise<DecideResult>;
  feedback(messageId: string, rating: FeedbackRating): Promise<FeedbackResult>;
  /** The pipeline run that sent a reply, or null (worker/conversation/trace.ts). */
  runTrace(messageId: string): Promise<MessageTrace | null>;
  fetch(url: string, init?: RequestInit): Promise<Response>;
  /** Team deletion: stops any reply, cancels the alarm and erases all storage (worker/team-deletion/objects.ts). */
  erase(): Promise<void>;
  /** The conversation's session state; {} for an object not started yet (it stays unstarted). */
  sessionState(): Promise<JsonObject>;
  /**
   * Replaces the session state (null resets it to {}); refused while a turn runs. `meta` lets the write start an
   * object that has no messages yet; without it such an object answers `not_started`.
   */
  setSessionState(value: JsonObject | null, meta?: ConversationMeta): Promise<SessionStateResult>;
}

/**
 * The stub of a conversation's Durable Object, addressed by the conversation id. The cast names the RPC surface:
 * the inferred stub type recurses through JsonObject beyond TypeScript's instantiation depth limit.
 */
export function conversationStub(env: Env, conversationId: string): ConversationRpc {
  return env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(conversationId)) as unknown as ConversationRpc;
}

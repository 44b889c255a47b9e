import type { FinishReason, JsonObject } from '../../plugins/sdk/index.ts';
import type { ConversationMessage, MessageError, MessageRole, MessageStatus } from './protocol.ts';

/** A turn's `status` in the object's `turns` table. */
export type TurnStatus = 'pending' | 'running' | 'done';

/** A row of the object's `messages` table (worker/conversation/storage-schema.ts), as SQLite returns it. */
export type MessageRow = {
  id: string;
  position: number;
  role: string;
  content: string;
  status: string;
  turn_id: string;
  client_message_id: string | null;
  created_seq: number;
  error: string | null;
  provider_id: string | null;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  finish_reason: string | null;
  metadata: string;
  created_at: number;
  completed_at: number | null;
};

/** A stored row as the protocol's message: JSON columns parsed, token counts folded into `usage`. */
export function toMessage(row: MessageRow): ConversationMessage {
  return {
    id: row.id,
    position: row.position,
    role: row.role as MessageRole,
    content: row.content,
    status: row.status as MessageStatus,
    turnId: row.turn_id,
    clientMessageId: row.client_message_id,
    error: row.error ? (JSON.parse(row.error) as MessageError) : null,
    providerId: row.provider_id,
    model: row.model,
    usage:
      row.input_tokens === null || row.output_tokens === null
        ? null
        : { inputTokens: row.input_tokens, outputTokens: row.output_tokens },
    finishReason: row.finish_reason as FinishReason | null,
    metadata: JSON.parse(row.metadata) as JsonObject,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}

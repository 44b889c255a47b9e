import type { JsonObject } from '../../plugins/sdk/index.ts';
import type { conversations, messages } from '../db/schema/index.ts';

type ConversationRow = typeof conversations.$inferSelect;
type MessageRow = typeof messages.$inferSelect;

/** One conversation as the export writes it, with its tags and its messages (each with its own tags). */
export interface ExportedConversation {
  conversation: ConversationRow;
  tags: string[];
  messages: { message: MessageRow; tags: string[] }[];
}

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/**
 * A CSV cell (RFC 4180 quoting). Cells starting with = + - @ tab or CR are formulas in spreadsheets (OWASP CSV
 * injection), so they get a leading quote.
 */
export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Tags may hold spaces but never `;` (tag-schema.ts), so `;` separates them unambiguously in one cell. */
export const joinTags = (tags: string[]) => tags.join(';');

export const CSV_HEADER = [
  'conversation_id',
  'chatbot_id',
  'participant_id',
  'channel_id',
  'conversation_status',
  'conversation_created_at',
  'tags',
  'message_id',
  'position',
  'role',
  'status',
  'created_at',
  'model',
  'input_tokens',
  'output_tokens',
  'rating',
  'message_tags',
  'content',
].join(',');

const ratingOf = (metadata: JsonObject) => {
  const feedback = metadata.feedback;
  return feedback && typeof feedback === 'object' && !Array.isArray(feedback) ? (feedback.rating ?? null) : null;
};

/** CSV: one row per message; a conversation without messages still gets one row, its message cells empty. */
export function csvLines({ conversation: c, tags, messages }: ExportedConversation): string[] {
  const head = [c.id, c.chatbotId, c.participantId, c.channelId, c.status, iso(c.createdAt), joinTags(tags)];
  const rows = messages.length === 0 ? [null] : messages;
  return rows.map((entry) => {
    const m = entry?.message;
    const cells = m
      ? [
          m.id,
          m.position,
          m.role,
          m.status,
          iso(m.createdAt),
          m.model,
          m.inputTokens,
          m.outputTokens,
          ratingOf(m.metadata),
          joinTags(entry.tags),
          m.content,
        ]
      : Array.from({ length: 11 }, () => null);
    return [...head, ...cells].map(csvCell).join(',');
  });
}

/** JSONL: one conversation per line, shaped like the API's conversation and message objects. */
export function jsonLine({ conversation: c, tags, messages }: ExportedConversation): string {
  return JSON.stringify({
    id: c.id,
    chatbotId: c.chatbotId,
    chatbotVersionId: c.chatbotVersionId,
    participantId: c.participantId,
    channelId: c.channelId,
    status: c.status,
    messageCount: c.messageCount,
    createdAt: iso(c.createdAt),
    lastMessageAt: iso(c.lastMessageAt),
    tags,
    messages: messages.map(({ message: m, tags: messageTags }) => ({
      id: m.id,
      position: m.position,
      role: m.role,
      content: m.content,
      status: m.status,
      error: m.error,
      model: m.model,
      usage:
        m.inputTokens === null && m.outputTokens === null
          ? null
          : { inputTokens: m.inputTokens, outputTokens: m.outputTokens },
      finishReason: m.finishReason,
      metadata: m.metadata,
      createdAt: iso(m.createdAt),
      completedAt: iso(m.completedAt),
      tags: messageTags,
    })),
  });
}

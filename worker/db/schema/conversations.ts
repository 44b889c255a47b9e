import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { JsonObject } from '../../../plugins/sdk/index.ts';
import { channels } from './channels.ts';
import { chatbots, chatbotVersions } from './chatbots.ts';
import { createdAt, updatedAt } from './columns.ts';
import { teamRef } from './team-ref.ts';

/** A person talking to chatbots, identified per platform (`api`, `widget`, `telegram`, …). */
export const participants = sqliteTable(
  'participants',
  {
    id: text('id').primaryKey(),
    teamId: teamRef(),
    platform: text('platform').notNull(),
    externalId: text('external_id').notNull(),
    name: text('name'),
    data: text('data', { mode: 'json' }).$type<JsonObject>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('participants_identity').on(t.teamId, t.platform, t.externalId),
    // The participant list pages newest first, optionally within one platform.
    index('participants_team').on(t.teamId, t.createdAt),
    index('participants_platform').on(t.teamId, t.platform, t.createdAt),
  ],
);

export const conversationStatuses = ['active', 'ended'] as const;

/** Written when a conversation starts; its counters are the analytics copy kept current by the queue consumer. */
export const conversations = sqliteTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    teamId: teamRef(),
    chatbotId: text('chatbot_id')
      .notNull()
      .references(() => chatbots.id, { onDelete: 'cascade' }),
    chatbotVersionId: text('chatbot_version_id')
      .notNull()
      .references(() => chatbotVersions.id),
    channelId: text('channel_id').references(() => channels.id, { onDelete: 'set null' }),
    participantId: text('participant_id').references(() => participants.id, { onDelete: 'set null' }),
    status: text('status', { enum: conversationStatuses }).notNull().default('active'),
    messageCount: integer('message_count').notNull().default(0),
    lastMessageAt: integer('last_message_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('conversations_team').on(t.teamId, t.createdAt),
    index('conversations_chatbot').on(t.teamId, t.chatbotId, t.createdAt),
    // One index per filter of the conversation list, each ending in created_at so a page is an index range scan.
    index('conversations_participant').on(t.teamId, t.participantId, t.createdAt),
    index('conversations_channel').on(t.teamId, t.channelId, t.createdAt),
    index('conversations_status').on(t.teamId, t.status, t.createdAt),
  ],
);

/** Labels on a conversation, set by integrations (`escalated`, `lang:fr`); a set, so unique per conversation. */
export const conversationTags = sqliteTable(
  'conversation_tags',
  {
    teamId: teamRef(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.tag] }),
    // The conversation list's `tag` filter starts from the tag.
    index('conversation_tags_tag').on(t.teamId, t.tag, t.conversationId),
  ],
);

/**
 * Labels on one message of a conversation (`hallucination`, `good-answer`), set by reviewers and integrations. Messages
 * live in the conversation's Durable Object; the tag names the message by id and goes with its conversation.
 */
export const messageTags = sqliteTable(
  'message_tags',
  {
    teamId: teamRef(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    messageId: text('message_id').notNull(),
    tag: text('tag').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // A transcript reads every message's tags by conversation: the key's prefix.
    primaryKey({ columns: [t.conversationId, t.messageId, t.tag] }),
    // The conversation list's `tag` filter also finds conversations where a message carries the tag.
    index('message_tags_tag').on(t.teamId, t.tag, t.conversationId),
  ],
);

export const messageRoles = ['user', 'assistant', 'system', 'tool'] as const;
export const messageStatuses = ['streaming', 'complete', 'stopped', 'error'] as const;

/**
 * The analytics copy of each message. The conversation's Durable Object is the source of truth; the queue
 * consumer upserts by primary key, so a redelivered batch rewrites the same rows instead of adding new ones.
 */
export const messages = sqliteTable(
  'messages',
  {
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    teamId: teamRef(),
    chatbotId: text('chatbot_id').notNull(),
    /** Position in the conversation (1, 2, …), as the Durable Object assigned it. */
    position: integer('position').notNull(),
    role: text('role', { enum: messageRoles }).notNull(),
    /**
     * '' in rows the queue consumer writes: bodies live in the conversation object and the R2 archive (issue 19 §2,
     * docs/scaling.md "Message bodies"); rows written before migration 0016 hold it until `blankMessageBodies`.
     */
    content: text('content').notNull(),
    /** The body's UTF-8 length (null on rows written before migration 0016 and not yet blanked). */
    contentBytes: integer('content_bytes'),
    status: text('status', { enum: messageStatuses }).notNull(),
    error: text('error', { mode: 'json' }).$type<{ code: string; message: string }>(),
    providerId: text('provider_id'),
    model: text('model'),
    inputTokens: integer('input_tokens'),
    outputTokens: integer('output_tokens'),
    finishReason: text('finish_reason'),
    /** `{}` in rows the consumer writes (the archive holds the whole object); what filters need has its own column. */
    metadata: text('metadata', { mode: 'json' }).$type<JsonObject>().notNull(),
    /** `metadata.feedback.rating` ('up' | 'down'), for the list's rating filter. */
    rating: text('rating'),
    createdAt: createdAt(),
    completedAt: integer('completed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.id] }),
    uniqueIndex('messages_position').on(t.conversationId, t.position),
    index('messages_team_day').on(t.teamId, t.chatbotId, t.createdAt),
    // Usage across every chatbot of a team scans by day without a chatbot prefix.
    index('messages_team_created').on(t.teamId, t.createdAt),
  ],
);

import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { auditActorTypes } from './audit.ts';
import { createdAt } from './columns.ts';
import { conversations } from './conversations.ts';
import { teamRef } from './team-ref.ts';

/**
 * Notes admins leave on a conversation, or on one of its messages, for each other; never shown to the end user.
 * The author is a person or an API key, labelled as they were when writing (names change, notes keep their author).
 */
export const conversationComments = sqliteTable(
  'conversation_comments',
  {
    id: text('id').primaryKey(),
    teamId: teamRef(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** The message the note is about; null for the conversation as a whole. */
    messageId: text('message_id'),
    authorType: text('author_type', { enum: auditActorTypes }).notNull(),
    authorId: text('author_id').notNull(),
    authorLabel: text('author_label').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('conversation_comments_conversation').on(t.teamId, t.conversationId, t.createdAt)],
);

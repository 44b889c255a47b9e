import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { participants } from './conversations.ts';
import { teamRef } from './team-ref.ts';

/**
 * The D1 copy of participant data per participant × chatbot, for lists and exports. The source of truth is the
 * participant's Durable Object (worker/participant-data/participant-do.ts), which writes this table from its own
 * outbox after each change, never on a turn's path. `data` is the object's AES-GCM ciphertext as it stores it, bound
 * to team, participant and chatbot (worker/participant-data/sealing.ts); `updated_at` is the object's clock, so an
 * older copy arriving late never overwrites a newer one.
 */
export const participantData = sqliteTable(
  'participant_data',
  {
    teamId: teamRef(),
    participantId: text('participant_id')
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    chatbotId: text('chatbot_id').notNull(),
    data: text('data').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.participantId, t.chatbotId] }),
    // Lists: a chatbot's participants by most recent change.
    index('participant_data_chatbot').on(t.teamId, t.chatbotId, t.updatedAt),
  ],
);

import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { teamRef } from './team-ref.ts';

export const eventOutcomes = ['ok', 'error', 'skipped'] as const;
export type EventOutcome = (typeof eventOutcomes)[number];

/**
 * One action of one trigger firing (issue 17 §2), written by the queue consumer (worker/events/consumer.ts) from
 * what the conversation object sent; a retried webhook writes a row per attempt. No foreign key on the
 * conversation: a widget conversation's row is created from the copy of its first message, which may arrive after.
 */
export const eventLog = sqliteTable(
  'event_log',
  {
    id: text('id').primaryKey(),
    teamId: teamRef(),
    chatbotId: text('chatbot_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    participantId: text('participant_id'),
    triggerId: text('trigger_id').notNull(),
    triggerType: text('trigger_type').notNull(),
    actionType: text('action_type').notNull(),
    outcome: text('outcome', { enum: eventOutcomes }).notNull(),
    /** Why it failed or was skipped; never a secret (webhook responses are reduced to their status). */
    error: text('error'),
    /** What a `log` action wrote. */
    detail: text('detail'),
    attempt: integer('attempt').notNull(),
    firedAt: integer('fired_at').notNull(),
  },
  (t) => [
    index('event_log_team').on(t.teamId, t.firedAt),
    index('event_log_chatbot').on(t.teamId, t.chatbotId, t.firedAt),
    index('event_log_conversation').on(t.teamId, t.conversationId, t.firedAt),
  ],
);

import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { participants } from './conversations.ts';
import { teamRef } from './team-ref.ts';

/**
 * The D1 copy of each participant's scheduled messages, for team-wide lists and the cron's reconciliation sweep.
 * The source of truth is the participant's Durable Object (worker/schedules/), which sends each change through the
 * events queue; `version` is the object's change counter, so a late or redelivered copy never overwrites a newer one.
 * `prompt` is cut to 500 characters (a list shows a preview; the object holds the whole prompt).
 */
export const scheduledMessages = sqliteTable(
  'scheduled_messages',
  {
    id: text('id').primaryKey(),
    teamId: teamRef(),
    participantId: text('participant_id')
      .notNull()
      .references(() => participants.id, { onDelete: 'cascade' }),
    chatbotId: text('chatbot_id').notNull(),
    prompt: text('prompt').notNull(),
    timeZone: text('time_zone').notNull(),
    recurrence: text('recurrence'),
    status: text('status').notNull(),
    nextDueAt: integer('next_due_at'),
    firedCount: integer('fired_count').notNull(),
    failedCount: integer('failed_count').notNull(),
    attempts: integer('attempts').notNull(),
    lastAttemptAt: integer('last_attempt_at'),
    lastOutcome: text('last_outcome'),
    origin: text('origin').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    version: integer('version').notNull(),
  },
  (t) => [
    // Team lists by status, soonest first.
    index('scheduled_messages_team_status').on(t.teamId, t.status, t.nextDueAt),
    index('scheduled_messages_chatbot').on(t.teamId, t.chatbotId, t.status),
    // The cron's sweep: active rows overdue, across teams.
    index('scheduled_messages_due').on(t.status, t.nextDueAt),
  ],
);

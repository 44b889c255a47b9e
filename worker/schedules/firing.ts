import type { Env } from '../env.ts';
import type { ParticipantRef } from '../participant-data/types.ts';
import { deliverToBot } from './deliver.ts';
import { MAX_ATTEMPTS, retryDelayMs } from './limits.ts';
import { recordAttempt, type ScheduleRow, scheduleRow, wakingRows } from './store.ts';

/** Rows fired per alarm; the alarm re-arms at once while more are due. */
export const FIRE_BATCH = 50;
/** Firings in flight at once: a Worker invocation keeps at most 6 connections open (Workers limits). */
const IN_FLIGHT = 6;

/** How a firing reaches the bot; a parameter so the alarm's mechanics are the same whatever delivers. */
export type Deliver = typeof deliverToBot;

/** The idempotency key of one firing: a redelivered alarm or a retried call asks the conversation for the same key. */
export const firingKey = (scheduleId: string, dueAt: number) => `schedule:${scheduleId}:${dueAt}`;

/**
 * Fires every schedule due by `now`: each its own attempt, so one failing (its chatbot archived, a conversation
 * object erroring) never holds back the others. A failed attempt is retried with backoff up to MAX_ATTEMPTS, then
 * logged failed and the series moves on. Returns how many rows were handled (FIRE_BATCH means: look again).
 *
 * Rows of one chatbot fire one after another, rows of different chatbots side by side: the first firing for a
 * participant without a conversation creates one in D1, and a second one racing it would create another (measured
 * by same-minute.test.ts: 2 schedules due together gave the participant 2 conversations). They would queue in the
 * one conversation anyway, so this costs no time.
 */
export async function fireDue(
  storage: DurableObjectStorage,
  env: Env,
  ref: ParticipantRef,
  now: () => number,
  deliver: Deliver = deliverToBot,
): Promise<number> {
  const rows = wakingRows(storage.sql, now(), FIRE_BATCH);
  const byChatbot = new Map<string, ScheduleRow[]>();
  for (const row of rows) byChatbot.set(row.chatbot_id, [...(byChatbot.get(row.chatbot_id) ?? []), row]);
  const groups = [...byChatbot.values()];
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      for (const row of groups[next++] ?? []) await fireOne(storage, env, ref, row, now, deliver);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, groups.length) }, worker));
  return rows.length;
}

async function fireOne(
  storage: DurableObjectStorage,
  env: Env,
  ref: ParticipantRef,
  row: ScheduleRow,
  now: () => number,
  deliver: Deliver,
): Promise<void> {
  const { sql } = storage;
  const dueAt = row.next_due_at as number;
  let outcome: {
    outcome: 'ok' | 'duplicate' | 'ended' | 'failed';
    error: string | null;
    conversationId: string | null;
  };
  try {
    const delivery = await deliver(
      env,
      { teamId: ref.teamId, participantId: ref.participantId, chatbotId: row.chatbot_id },
      { prompt: row.prompt, idempotencyKey: firingKey(row.id, dueAt), source: { type: 'schedule', id: row.id } },
    );
    outcome = {
      outcome: delivery.status === 'ran' ? 'ok' : delivery.status,
      error: null,
      conversationId: delivery.conversationId,
    };
  } catch (error) {
    // The message is ours or the runtime's, never a secret: deliveries carry no credentials.
    outcome = {
      outcome: 'failed',
      error: String(error instanceof Error ? error.message : error).slice(0, 500),
      conversationId: null,
    };
  }
  // Changed while in flight (moved, paused, cancelled through the API)? Log the attempt, leave the row as it is now.
  const current = scheduleRow(sql, row.id);
  const at = now();
  if (current?.status !== 'active' || current.next_due_at !== dueAt) {
    sql.exec(
      `INSERT INTO schedule_attempts (schedule_id, due_at, attempt, at, outcome, error, conversation_id)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      row.id,
      dueAt,
      row.attempts + 1,
      at,
      outcome.outcome,
      outcome.error,
      outcome.conversationId,
    );
    return;
  }
  const failed = outcome.outcome === 'failed';
  const retry = failed && current.attempts + 1 < MAX_ATTEMPTS;
  const retryAt = retry ? at + retryDelayMs(current.attempts + 1) : null;
  storage.transactionSync(() =>
    recordAttempt(sql, current, { ...outcome, outcome: retry ? 'retrying' : outcome.outcome, at }, retryAt),
  );
}

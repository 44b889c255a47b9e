import type { ParticipantRef } from './types.ts';

/** Rows copied per alarm; the alarm re-arms while more are due. */
const BATCH = 50;
/** Retry backoff: 1 s doubling per attempt, at most an hour (a D1 outage must not spin the alarm). */
const retryDelay = (attempts: number) => Math.min(1000 * 2 ** attempts, 60 * 60 * 1000);

interface OutboxRow {
  chatbot_id: string;
  updated_at: number;
  attempts: number;
  [column: string]: SqlStorageValue;
}

/** Marks a chatbot's D1 copy as behind; the next alarm writes it. Runs in the change's own transaction. */
export function enqueueMirror(sql: SqlStorage, chatbotId: string, updatedAt: number, now: number): void {
  sql.exec(
    `INSERT INTO mirror_outbox (chatbot_id, updated_at, attempts, due_at) VALUES (?, ?, 0, ?)
     ON CONFLICT (chatbot_id) DO UPDATE SET updated_at = excluded.updated_at, attempts = 0, due_at = excluded.due_at`,
    chatbotId,
    updatedAt,
    now,
  );
}

export function nextMirrorDue(sql: SqlStorage): number | undefined {
  const row = sql.exec<{ due: number | null }>('SELECT MIN(due_at) AS due FROM mirror_outbox').one();
  return row.due ?? undefined;
}

/**
 * Copies the due chatbots' sealed data to D1 (`participant_data`), or removes the D1 row of data that was reset.
 * Each row on its own, so one failing row (its participant deleted from D1) does not hold back the others; a row
 * changed while its copy was in flight stays queued for the next round.
 */
export async function flushMirror(sql: SqlStorage, db: D1Database, ref: ParticipantRef, now: number): Promise<void> {
  const due = sql
    .exec<OutboxRow>(
      'SELECT chatbot_id, updated_at, attempts FROM mirror_outbox WHERE due_at <= ? ORDER BY due_at LIMIT ?',
      now,
      BATCH,
    )
    .toArray();
  await Promise.all(
    due.map(async (row) => {
      const stored = sql
        .exec<{ sealed: string; updated_at: number }>(
          'SELECT sealed, updated_at FROM chatbot_data WHERE chatbot_id = ?',
          row.chatbot_id,
        )
        .toArray()[0];
      try {
        if (stored) {
          await db
            .prepare(
              `INSERT INTO participant_data (team_id, participant_id, chatbot_id, data, updated_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (participant_id, chatbot_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at
               WHERE excluded.updated_at >= participant_data.updated_at`,
            )
            .bind(ref.teamId, ref.participantId, row.chatbot_id, stored.sealed, stored.updated_at)
            .run();
        } else {
          await db
            .prepare('DELETE FROM participant_data WHERE participant_id = ? AND chatbot_id = ? AND updated_at <= ?')
            .bind(ref.participantId, row.chatbot_id, row.updated_at)
            .run();
        }
        sql.exec('DELETE FROM mirror_outbox WHERE chatbot_id = ? AND updated_at = ?', row.chatbot_id, row.updated_at);
      } catch (error) {
        // The D1 copy only serves lists; the object keeps the truth and retries. The message names no data.
        console.warn('participant data mirror failed', ref.participantId, row.chatbot_id, String(error));
        sql.exec(
          'UPDATE mirror_outbox SET attempts = attempts + 1, due_at = ? WHERE chatbot_id = ? AND updated_at = ?',
          now + retryDelay(row.attempts),
          row.chatbot_id,
          row.updated_at,
        );
      }
    }),
  );
}

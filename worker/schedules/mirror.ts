import type { ParticipantRef } from '../participant-data/types.ts';
import type { ScheduleMirrorMessage, ScheduleMirrorRow } from './queue-messages.ts';
import type { ScheduleRow } from './store.ts';

/** 25 rows per queue message: with 500-character prompt previews a message stays far below Queues' 128 KB. */
const ROWS_PER_MESSAGE = 25;
/** A batch send holds at most 100 messages (Queues limits); rows beyond wait for the next alarm. */
const ROWS_PER_FLUSH = 25 * 100;
/** A list shows a preview; the object keeps the whole prompt. */
const PROMPT_PREVIEW_CHARS = 500;
/** After a failed send, the alarm tries again this much later. */
export const MIRROR_RETRY_MS = 30_000;

const mirrorRow = (row: ScheduleRow): ScheduleMirrorRow => ({
  id: row.id,
  chatbotId: row.chatbot_id,
  prompt: row.prompt.slice(0, PROMPT_PREVIEW_CHARS),
  timeZone: row.time_zone,
  recurrence: row.recurrence,
  status: row.status,
  nextDueAt: row.next_due_at,
  firedCount: row.fired_count,
  failedCount: row.failed_count,
  attempts: row.attempts,
  lastAttemptAt: row.last_attempt_at,
  lastOutcome: row.last_outcome,
  origin: row.origin,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: row.version,
});

/** Marks the rows (the most recently changed, up to one flush) to be sent to D1 again, at their current version. */
export function resendMirror(sql: SqlStorage): void {
  sql.exec(
    'UPDATE schedules SET mirrored_version = 0 WHERE id IN (SELECT id FROM schedules ORDER BY updated_at DESC LIMIT ?)',
    ROWS_PER_FLUSH,
  );
}

export function hasUnmirrored(sql: SqlStorage): boolean {
  return sql.exec('SELECT 1 FROM schedules WHERE mirrored_version < version LIMIT 1').toArray().length > 0;
}

/**
 * Sends changed schedules to the events queue for their D1 copy; the object itself never writes D1 for schedules.
 * A row changed again while the send was in flight stays unmirrored (its version moved on) and goes next time.
 * Returns false when the queue refused, for the caller to retry on its alarm.
 */
export async function flushScheduleMirror(sql: SqlStorage, queue: Queue, ref: ParticipantRef): Promise<boolean> {
  const rows = sql
    .exec<ScheduleRow>('SELECT * FROM schedules WHERE mirrored_version < version ORDER BY id LIMIT ?', ROWS_PER_FLUSH)
    .toArray();
  if (rows.length === 0) return true;
  const messages: { body: ScheduleMirrorMessage }[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_MESSAGE) {
    messages.push({
      body: { type: 'schedule.mirror', ...ref, rows: rows.slice(i, i + ROWS_PER_MESSAGE).map(mirrorRow) },
    });
  }
  try {
    await queue.sendBatch(messages);
  } catch (error) {
    console.warn('schedule mirror send failed', ref.participantId, String(error));
    return false;
  }
  for (const row of rows) {
    sql.exec(
      'UPDATE schedules SET mirrored_version = ? WHERE id = ? AND version = ?',
      row.version,
      row.id,
      row.version,
    );
  }
  return true;
}

import { newId } from '../ids.ts';
import { ATTEMPTS_KEPT, MAX_LIVE_SCHEDULES } from './limits.ts';
import { dueOf, type Recurrence } from './recurrence.ts';
import type {
  AttemptOutcome,
  NewSchedule,
  Schedule,
  ScheduleAttempt,
  ScheduleChange,
  ScheduleResult,
  ScheduleStatus,
} from './types.ts';

/** A row of the object's `schedules` table (worker/schedules/storage-schema.ts). */
export interface ScheduleRow {
  id: string;
  chatbot_id: string;
  prompt: string;
  time_zone: string;
  recurrence: string | null;
  anchor_at: number;
  anchor_index: number;
  occurrence: number;
  status: string;
  next_due_at: number | null;
  wake_at: number | null;
  attempts: number;
  fired_count: number;
  failed_count: number;
  last_attempt_at: number | null;
  last_outcome: string | null;
  origin: string;
  created_at: number;
  updated_at: number;
  version: number;
  mirrored_version: number;
  idempotency_key: string | null;
  [column: string]: SqlStorageValue;
}

export function presentSchedule(row: ScheduleRow): Schedule {
  return {
    id: row.id,
    chatbotId: row.chatbot_id,
    prompt: row.prompt,
    timeZone: row.time_zone,
    recurrence: row.recurrence === null ? null : (JSON.parse(row.recurrence) as Recurrence),
    status: row.status as ScheduleStatus,
    nextDueAt: row.next_due_at,
    firedCount: row.fired_count,
    failedCount: row.failed_count,
    attempts: row.attempts,
    lastAttemptAt: row.last_attempt_at,
    lastOutcome: row.last_outcome as AttemptOutcome | null,
    origin: row.origin as Schedule['origin'],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function scheduleRow(sql: SqlStorage, id: string): ScheduleRow | undefined {
  return sql.exec<ScheduleRow>('SELECT * FROM schedules WHERE id = ?', id).toArray()[0];
}

export function listScheduleRows(sql: SqlStorage, filter: { chatbotId?: string; live?: boolean } = {}): ScheduleRow[] {
  return sql
    .exec<ScheduleRow>(
      `SELECT * FROM schedules WHERE (?1 IS NULL OR chatbot_id = ?1)
       AND (?2 = 0 OR status IN ('active', 'paused')) ORDER BY COALESCE(next_due_at, updated_at), id`,
      filter.chatbotId ?? null,
      filter.live ? 1 : 0,
    )
    .toArray();
}

const notFound = (): ScheduleResult => ({
  ok: false,
  refusal: { code: 'not_found', field: 'scheduleId', message: 'Schedule not found' },
});

/**
 * A new schedule, unless the participant has MAX_LIVE_SCHEDULES live ones. A first occurrence in the past fires at
 * once (an API client's clock may be a little behind; the caller refuses times far in the past). A key seen before
 * answers the schedule it created, whatever its state now: a redelivered request never makes a second one.
 */
export function insertSchedule(
  sql: SqlStorage,
  input: NewSchedule & { timeZone: string },
  now: number,
): ScheduleResult {
  if (input.idempotencyKey !== undefined) {
    const seen = sql
      .exec<ScheduleRow>('SELECT * FROM schedules WHERE idempotency_key = ?', input.idempotencyKey)
      .toArray()[0];
    if (seen) return { ok: true, schedule: presentSchedule(seen) };
  }
  const live = sql
    .exec<{ n: number }>("SELECT COUNT(*) AS n FROM schedules WHERE status IN ('active', 'paused')")
    .one();
  if (live.n >= MAX_LIVE_SCHEDULES) {
    return {
      ok: false,
      refusal: {
        code: 'limit_reached',
        field: 'body',
        message: `a participant has at most ${MAX_LIVE_SCHEDULES} active or paused schedules`,
      },
    };
  }
  const id = newId('sch', now);
  sql.exec(
    `INSERT INTO schedules (id, chatbot_id, prompt, time_zone, recurrence, anchor_at, anchor_index, occurrence, status,
       next_due_at, wake_at, origin, created_at, updated_at, idempotency_key)
     VALUES (?, ?, ?, ?, ?, ?, 0, 0, 'active', ?, ?, ?, ?, ?, ?)`,
    id,
    input.chatbotId,
    input.prompt,
    input.timeZone,
    input.recurrence === null ? null : JSON.stringify(input.recurrence),
    input.startAt,
    input.startAt,
    input.startAt,
    input.origin,
    now,
    now,
    input.idempotencyKey ?? null,
  );
  return { ok: true, schedule: presentSchedule(scheduleRow(sql, id) as ScheduleRow) };
}

const recurrenceOf = (row: ScheduleRow) =>
  row.recurrence === null ? null : (JSON.parse(row.recurrence) as Recurrence);

/**
 * The first occurrence from `index` on that is due at or after `notBefore` (a resumed schedule skips what passed
 * while it was paused, rather than firing a burst), or null when the series ends first.
 */
function nextFrom(row: ScheduleRow, index: number, notBefore: number): { index: number; dueAt: number } | null {
  const recurrence = recurrenceOf(row);
  const position = { anchorAt: row.anchor_at, anchorIndex: row.anchor_index };
  // A bounded walk: a paused minutely schedule resumed after years would otherwise loop for long; past this many
  // steps, re-anchor at `notBefore` instead.
  for (let step = 0; step < 10_000; step++) {
    const dueAt = dueOf(position, recurrence, index + step, row.time_zone);
    if (dueAt === null) return null;
    if (dueAt >= notBefore) return { index: index + step, dueAt };
  }
  return { index, dueAt: notBefore };
}

export function changeSchedule(sql: SqlStorage, id: string, change: ScheduleChange, now: number): ScheduleResult {
  const row = scheduleRow(sql, id);
  if (!row) return notFound();
  if (row.status !== 'active' && row.status !== 'paused') {
    return { ok: false, refusal: { code: 'invalid', field: 'status', message: `the schedule is ${row.status}` } };
  }
  let status: string = row.status;
  let { next_due_at: nextDue, anchor_at: anchorAt, anchor_index: anchorIndex, occurrence, attempts } = row;
  if (change.nextDueAt !== undefined) {
    // Moving re-anchors the series: this occurrence at the new time, the following ones counted from it.
    anchorAt = change.nextDueAt;
    anchorIndex = occurrence;
    nextDue = change.nextDueAt;
    attempts = 0;
  }
  if (change.status === 'paused') status = 'paused';
  if (change.status === 'active' && row.status === 'paused' && change.nextDueAt === undefined) {
    const next = nextFrom({ ...row, anchor_at: anchorAt, anchor_index: anchorIndex }, occurrence, now);
    if (!next) status = 'done';
    else {
      status = 'active';
      occurrence = next.index;
      nextDue = next.dueAt;
      attempts = 0;
    }
  } else if (change.status === 'active') status = 'active';
  if (status === 'done') nextDue = null;
  const wake = status === 'active' ? nextDue : null;
  sql.exec(
    `UPDATE schedules SET prompt = ?, status = ?, next_due_at = ?, wake_at = ?, anchor_at = ?, anchor_index = ?,
       occurrence = ?, attempts = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
    change.prompt ?? row.prompt,
    status,
    nextDue,
    wake,
    anchorAt,
    anchorIndex,
    occurrence,
    attempts,
    now,
    id,
  );
  return { ok: true, schedule: presentSchedule(scheduleRow(sql, id) as ScheduleRow) };
}

export function cancelSchedule(sql: SqlStorage, id: string, now: number): ScheduleResult {
  const row = scheduleRow(sql, id);
  if (!row) return notFound();
  if (row.status !== 'cancelled' && row.status !== 'done') {
    sql.exec(
      `UPDATE schedules SET status = 'cancelled', next_due_at = NULL, wake_at = NULL, updated_at = ?,
         version = version + 1 WHERE id = ?`,
      now,
      id,
    );
  }
  return { ok: true, schedule: presentSchedule(scheduleRow(sql, id) as ScheduleRow) };
}

/** Rows the alarm must handle now, earliest first. */
export function wakingRows(sql: SqlStorage, now: number, limit: number): ScheduleRow[] {
  return sql
    .exec<ScheduleRow>(
      "SELECT * FROM schedules WHERE wake_at <= ? AND status = 'active' ORDER BY wake_at LIMIT ?",
      now,
      limit,
    )
    .toArray();
}

export function nextWake(sql: SqlStorage): number | undefined {
  const row = sql.exec<{ at: number | null }>('SELECT MIN(wake_at) AS at FROM schedules').one();
  return row.at ?? undefined;
}

/** An attempt's outcome: logged, and the occurrence retried later or the series moved on to its next occurrence. */
export function recordAttempt(
  sql: SqlStorage,
  row: ScheduleRow,
  attempt: Omit<ScheduleAttempt, 'scheduleId' | 'dueAt' | 'attempt'>,
  retryAt: number | null,
): void {
  const dueAt = row.next_due_at as number;
  const number = row.attempts + 1;
  sql.exec(
    `INSERT INTO schedule_attempts (schedule_id, due_at, attempt, at, outcome, error, conversation_id)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    row.id,
    dueAt,
    number,
    attempt.at,
    attempt.outcome,
    attempt.error,
    attempt.conversationId,
  );
  sql.exec('DELETE FROM schedule_attempts WHERE seq <= (SELECT MAX(seq) FROM schedule_attempts) - ?', ATTEMPTS_KEPT);
  const succeeded = attempt.outcome !== 'failed' && attempt.outcome !== 'retrying';
  if (retryAt !== null) {
    sql.exec(
      `UPDATE schedules SET attempts = ?, wake_at = ?, last_attempt_at = ?, last_outcome = 'retrying',
         updated_at = ?, version = version + 1 WHERE id = ? AND next_due_at = ?`,
      number,
      retryAt,
      attempt.at,
      attempt.at,
      row.id,
      dueAt,
    );
    return;
  }
  const next = nextFrom(row, row.occurrence + 1, attempt.at);
  sql.exec(
    `UPDATE schedules SET occurrence = ?, next_due_at = ?, wake_at = ?, status = ?, attempts = 0,
       fired_count = fired_count + ?, failed_count = failed_count + ?, last_attempt_at = ?, last_outcome = ?,
       updated_at = ?, version = version + 1 WHERE id = ? AND next_due_at = ?`,
    next?.index ?? row.occurrence + 1,
    next?.dueAt ?? null,
    next?.dueAt ?? null,
    next ? 'active' : 'done',
    succeeded ? 1 : 0,
    succeeded ? 0 : 1,
    attempt.at,
    attempt.outcome,
    attempt.at,
    row.id,
    dueAt,
  );
}

export function attemptsOf(sql: SqlStorage, scheduleId: string): ScheduleAttempt[] {
  return sql
    .exec<{
      due_at: number;
      attempt: number;
      at: number;
      outcome: string;
      error: string | null;
      conversation_id: string | null;
    }>(
      'SELECT due_at, attempt, at, outcome, error, conversation_id FROM schedule_attempts WHERE schedule_id = ? ORDER BY seq DESC LIMIT 100',
      scheduleId,
    )
    .toArray()
    .map((row) => ({
      scheduleId,
      dueAt: row.due_at,
      attempt: row.attempt,
      at: row.at,
      outcome: row.outcome as AttemptOutcome,
      error: row.error,
      conversationId: row.conversation_id,
    }));
}

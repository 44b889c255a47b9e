import type { Env } from '../env.ts';
import { scheduleStub } from './client.ts';
import type { ScheduleMirrorMessage, ScheduleQueueMessage, ScheduleRearmMessage } from './queue-messages.ts';

const COLUMNS = [
  'id',
  'team_id',
  'participant_id',
  'chatbot_id',
  'prompt',
  'time_zone',
  'recurrence',
  'status',
  'next_due_at',
  'fired_count',
  'failed_count',
  'attempts',
  'last_attempt_at',
  'last_outcome',
  'origin',
  'created_at',
  'updated_at',
  'version',
];
const CHANGING = COLUMNS.filter(
  (column) => !['id', 'team_id', 'participant_id', 'chatbot_id', 'created_at'].includes(column),
);

/**
 * Upserts a row unless D1 holds a newer version (a late or redelivered copy changes nothing), and only while the
 * participant exists in D1 for that team (a deleted participant's last copies are dropped, not retried forever).
 */
const UPSERT = `INSERT INTO scheduled_messages (${COLUMNS.join(', ')})
  SELECT ${COLUMNS.map(() => '?').join(', ')} WHERE EXISTS (SELECT 1 FROM participants WHERE id = ? AND team_id = ?)
  ON CONFLICT (id) DO UPDATE SET ${CHANGING.map((c) => `${c} = excluded.${c}`).join(', ')}
  WHERE excluded.version > scheduled_messages.version AND scheduled_messages.team_id = excluded.team_id`;

/** Schedule messages of the events queue: D1 copies and the cron's re-arm fan-out. Both are idempotent. */
export async function consumeScheduleMessages(
  items: readonly Message<ScheduleQueueMessage>[],
  env: Env,
): Promise<void> {
  if (items.length === 0) return;
  const mirrors = items.filter((item) => item.body.type === 'schedule.mirror') as Message<ScheduleMirrorMessage>[];
  const rearms = items.filter((item) => item.body.type === 'schedule.rearm') as Message<ScheduleRearmMessage>[];
  await Promise.all([copySchedules(mirrors, env), ...rearms.map((item) => rearm(item, env))]);
}

async function copySchedules(items: readonly Message<ScheduleMirrorMessage>[], env: Env): Promise<void> {
  if (items.length === 0) return;
  const statement = env.DB.prepare(UPSERT);
  const bound = items.flatMap(({ body }) =>
    body.rows.map((row) =>
      statement.bind(
        row.id,
        body.teamId,
        body.participantId,
        row.chatbotId,
        row.prompt,
        row.timeZone,
        row.recurrence,
        row.status,
        row.nextDueAt,
        row.firedCount,
        row.failedCount,
        row.attempts,
        row.lastAttemptAt,
        row.lastOutcome,
        row.origin,
        row.createdAt,
        row.updatedAt,
        row.version,
        body.participantId,
        body.teamId,
      ),
    ),
  );
  // One D1 batch is one transaction: every copy lands, or none and the queue redelivers the batch.
  if (bound.length > 0) await env.DB.batch(bound);
  for (const item of items) item.ack();
}

/** Each participant object looks at its own rows: a stale copy wakes an object that then fires nothing. */
async function rearm(item: Message<ScheduleRearmMessage>, env: Env): Promise<void> {
  const results = await Promise.allSettled(
    item.body.participants.map((ref) => scheduleStub(env, ref).rearmSchedules(ref)),
  );
  if (results.every((result) => result.status === 'fulfilled')) item.ack();
  else item.retry({ delaySeconds: 30 });
}

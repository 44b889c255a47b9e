import type { Env } from '../env.ts';
import type { ParticipantRef } from '../participant-data/types.ts';
import type { ScheduleRearmMessage } from './queue-messages.ts';

/**
 * How late (by its D1 copy) an active schedule must be before the sweep wakes its object. Alarms fire within seconds
 * and the copy follows each firing through the queue within a few more; two minutes clears both, so the sweep only
 * touches objects whose alarm was really lost (or whose copy is stuck), never ones firing normally.
 */
export const OVERDUE_MARGIN_MS = 2 * 60_000;
/** Participants per sweep: one indexed D1 query (≤ 1,000 queries per invocation is never in question). */
const SWEEP_LIMIT = 5000;
/** Participant objects per queue message: each consumer call wakes this many objects. */
const OBJECTS_PER_MESSAGE = 50;

/**
 * The safety net behind participant alarms: every participant with an active schedule overdue by its D1 copy gets a
 * queue message that re-arms its object (which looks at its own rows: the object, not the copy, decides what fires,
 * so a duplicated sweep or a redelivered message wakes an object that then fires nothing twice).
 */
export async function reconcileSchedules(env: Env, scheduledTime: number): Promise<number> {
  const { results } = await env.DB.prepare(
    `SELECT DISTINCT team_id AS teamId, participant_id AS participantId FROM scheduled_messages
     WHERE status = 'active' AND next_due_at < ? LIMIT ?`,
  )
    .bind(scheduledTime - OVERDUE_MARGIN_MS, SWEEP_LIMIT)
    .all<ParticipantRef>();
  const messages: { body: ScheduleRearmMessage }[] = [];
  for (let i = 0; i < results.length; i += OBJECTS_PER_MESSAGE) {
    const participants = results
      .slice(i, i + OBJECTS_PER_MESSAGE)
      .map(({ teamId, participantId }) => ({ teamId, participantId }));
    messages.push({ body: { type: 'schedule.rearm', participants } });
  }
  // sendBatch takes at most 100 messages.
  for (let i = 0; i < messages.length; i += 100) await env.EVENTS.sendBatch(messages.slice(i, i + 100));
  return results.length;
}

import { conversationStub } from '../conversation/stub.ts';
import { shardRouter } from '../db/shards.ts';
import type { Env } from '../env.ts';
import { participantStub } from '../participant-data/client.ts';
import type { Budget } from './budget.ts';

/**
 * Team deletion's Durable Object half: every conversation object (messages, events, outbox, alarm) and every
 * participant object (data, schedules, mirror outbox, alarm) of the team is erased (`erase()`: deleteAlarm +
 * deleteAll). The ids come from the team's rows, so each page of objects is erased first and its rows deleted right
 * after: what is erased no longer lists, and the next step (or sweep) continues with what is left, recording nothing.
 * A page that fails half-way is erased again next time (erase is idempotent).
 *
 * Conversation rows are deleted here only after their children (messages, tags, comments, event log) were purged
 * (steps.ts), so deleting a page of them cascades nothing. A participant row cascades its participant_data and
 * scheduled_messages rows: a few per participant.
 */

/**
 * Objects per page: one read, one erase call per object and one DELETE with one bound id per object — D1 binds at
 * most 100 parameters (developers.cloudflare.com/d1/platform/limits). Every erase is a subrequest, and an invocation
 * has 1,000 (developers.cloudflare.com/workers/platform/limits), so the step's budget (steps.ts STEP_SUBREQUESTS =
 * 500) caps a sweep run at under 500 objects.
 */
export const OBJECTS_PER_PAGE = 50;

/** A page's cost besides its objects: the read and the DELETE. */
const PAGE_OVERHEAD = 2;

/** Erases the conversation objects of `teamId` and deletes their rows (its shard, then `DB`); true when none is left. */
export async function eraseConversationObjects(env: Env, teamId: string, budget: Budget): Promise<boolean> {
  const shard = shardRouter(env).forTeam(teamId);
  const databases = shard === env.DB ? [env.DB] : [shard, env.DB];
  for (const db of databases) {
    const done = await erasePages(db, 'conversations', teamId, budget, (id) => conversationStub(env, id).erase());
    if (!done) return false;
  }
  return true;
}

/** Erases the participant objects of `teamId` and deletes their rows; true when none is left. */
export async function eraseParticipantObjects(env: Env, teamId: string, budget: Budget): Promise<boolean> {
  return erasePages(env.DB, 'participants', teamId, budget, (participantId) =>
    participantStub(env, { teamId, participantId }).erase(),
  );
}

async function erasePages(
  db: D1Database,
  table: 'conversations' | 'participants',
  teamId: string,
  budget: Budget,
  erase: (id: string) => Promise<void>,
): Promise<boolean> {
  for (;;) {
    const limit = Math.min(OBJECTS_PER_PAGE, budget.left - PAGE_OVERHEAD);
    if (limit < 1) return false;
    budget.left--;
    // The team's index (conversations_team / participants_team) serves this read.
    const { results } = await db
      .prepare(`SELECT id FROM ${table} WHERE team_id = ?1 LIMIT ?2`)
      .bind(teamId, limit)
      .all<{ id: string }>();
    if (results.length === 0) return true;
    const ids = results.map((row) => row.id);
    budget.left -= ids.length;
    await Promise.all(ids.map(erase));
    budget.left--;
    await db
      .prepare(`DELETE FROM ${table} WHERE team_id = ?1 AND id IN (${ids.map((_, i) => `?${i + 2}`).join(', ')})`)
      .bind(teamId, ...ids)
      .run();
    if (ids.length < limit) return true;
  }
}

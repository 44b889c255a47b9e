import { eq } from 'drizzle-orm';
import { database } from '../db/client.ts';
import { knowledgeCollections } from '../db/schema/index.ts';
import { CONVERSATION_CHILD_TABLES, purgeTeamDataPlaneStep } from '../db/shard-purge.ts';
import { deleteTeamRows } from '../db/team-rows.ts';
import type { Env } from '../env.ts';
import { deleteCollection } from '../knowledge/collections/store.ts';
import type { Budget } from './budget.ts';
import { CONTROL_PLANE_TABLES, teamBlobPrefixes } from './control-plane-tables.ts';
import { eraseConversationObjects, eraseParticipantObjects } from './objects.ts';

/**
 * The second half of deleting a team (the first is mark.ts): everything it owned, in bounded, idempotent steps that
 * any invocation may continue — the Cron Trigger's sweep (cron.ts) and, right after the request, the route itself.
 * Nothing records progress: each step looks at what is left, so a step that fails half-way is finished by the next.
 *
 * Order: the data plane's message copies, tags, comments and event log; then each conversation's Durable Object
 * erased and its row deleted (objects.ts: the rows are where the ids are read from; they reference `chatbot_versions`
 * without a cascade); each participant's Durable Object erased and its row deleted; the knowledge collections (each
 * one's index object, vectors and R2 bytes, worker/knowledge/collections/store.ts), the team's R2 prefixes, the
 * control-plane rows, and last the team row, so the team stays visible as "being deleted" until the end.
 */

/**
 * A step's share of an invocation's 1,000 subrequests (developers.cloudflare.com/workers/platform/limits; each D1
 * query, R2 call and Durable Object call is one): half, so what else runs in the same invocation keeps room.
 */
export const STEP_SUBREQUESTS = 500;

/**
 * The least budget a step makes progress with: every step starts over at the first table of each list and pays one
 * statement per table already empty (1 team read + 2 × 5 data-plane tables + 2 conversation reads + a participant
 * read + a collections read + 5 prefixes × 2 R2 calls + 19 control-plane tables + the team row = 45), plus room to delete something.
 */
export const MIN_STEP_SUBREQUESTS = 60;

/** What deleting one knowledge collection may take: its index object, an R2 list and delete, the D1 delete, a read. */
const COLLECTION_COST = 5;
/** Collections read per query. */
const COLLECTIONS_PER_READ = 20;
/** R2 lists and deletes at most 1,000 keys per call (developers.cloudflare.com/r2/api/workers/workers-api-reference). */
const R2_PAGE = 1_000;

export type DeletionPhase =
  | 'data-plane'
  | 'conversations'
  | 'participants'
  | 'knowledge'
  | 'files'
  | 'control-plane'
  | 'team';

export interface TeamDeletionStep {
  teamId: string;
  /** Nothing of the team is left, its row included. */
  done: boolean;
  /** Where this step stopped (its budget ran out there); null when done. */
  phase: DeletionPhase | null;
  /** Subrequests this step made. */
  subrequests: number;
}

export type { Budget };

/**
 * Continues deleting `teamId` within `budget`. Refuses a team that was not marked deleted: only the owner's request
 * (routes.ts) starts a deletion. An unknown team (already deleted) is done.
 */
export async function deleteTeamStep(
  env: Env,
  teamId: string,
  budget: Budget = { left: STEP_SUBREQUESTS },
): Promise<TeamDeletionStep> {
  const start = budget.left;
  const result = (phase: DeletionPhase | null): TeamDeletionStep => ({
    teamId,
    done: phase === null,
    phase,
    subrequests: start - budget.left,
  });
  if (budget.left < MIN_STEP_SUBREQUESTS) return result('data-plane');
  budget.left--;
  const team = await env.DB.prepare('SELECT deleted_at FROM teams WHERE id = ?1')
    .bind(teamId)
    .first<{ deleted_at: number | null }>();
  if (!team) return result(null);
  if (team.deleted_at === null) throw new Error(`Team ${teamId} is not marked deleted`);

  const purge = await purgeTeamDataPlaneStep(env, teamId, budget.left, CONVERSATION_CHILD_TABLES);
  budget.left -= purge.statements;
  if (!purge.done) return result('data-plane');
  if (!(await eraseConversationObjects(env, teamId, budget))) return result('conversations');
  if (!(await eraseParticipantObjects(env, teamId, budget))) return result('participants');

  if (!(await deleteCollections(env, teamId, budget))) return result('knowledge');
  if (!(await deleteBlobs(env.FILES, teamBlobPrefixes(teamId), budget))) return result('files');

  const rows = await deleteTeamRows(env.DB, CONTROL_PLANE_TABLES, teamId, budget.left);
  budget.left -= rows.statements;
  if (!rows.done || budget.left < 1) return result('control-plane');

  budget.left--;
  await env.DB.prepare('DELETE FROM teams WHERE id = ?1 AND deleted_at IS NOT NULL').bind(teamId).run();
  return result(null);
}

/** Deletes the team's knowledge collections one by one while the budget lasts; true when none is left. */
async function deleteCollections(env: Env, teamId: string, budget: Budget): Promise<boolean> {
  const db = database(env.DB);
  for (;;) {
    if (budget.left < COLLECTION_COST) return false;
    budget.left--;
    const rows = await db
      .select()
      .from(knowledgeCollections)
      .where(eq(knowledgeCollections.teamId, teamId))
      .limit(COLLECTIONS_PER_READ);
    if (rows.length === 0) return true;
    for (const row of rows) {
      if (budget.left < COLLECTION_COST) return false;
      budget.left -= COLLECTION_COST - 1;
      await deleteCollection(env, db, row);
    }
  }
}

/** Deletes every object under `prefixes`, a page (list + delete: two subrequests) at a time; true when all are gone. */
async function deleteBlobs(bucket: R2Bucket, prefixes: readonly string[], budget: Budget): Promise<boolean> {
  for (const prefix of prefixes) {
    for (;;) {
      if (budget.left < 2) return false;
      budget.left--;
      // Always the first page: what was deleted no longer lists, so no cursor needs keeping between steps.
      const listing = await bucket.list({ prefix, limit: R2_PAGE });
      const keys = listing.objects.map((object) => object.key);
      if (keys.length > 0) {
        budget.left--;
        await bucket.delete(keys);
      }
      if (!listing.truncated) break;
    }
  }
  return true;
}

import type { Env } from '../env.ts';
import { DATA_PLANE_TABLES, type DataPlaneTable } from './shard-move.ts';
import { shardRouter } from './shards.ts';
import { deleteTeamRows } from './team-rows.ts';

/**
 * Team deletion's data-plane half (issue 19 §2): a team's conversation rows, message copies, tags, comments and event
 * log leave its shard, and any copies left in `DB` from before shards were bound (shard-move.ts keeps its source
 * rows). The control-plane rows (team, members, chatbots, keys) are the caller's to delete, after this succeeds:
 * a failure here leaves the team in place, so the purge can be run again.
 */

export type TeamPurge = Record<DataPlaneTable, number>;

/** Children before the conversation rows they reference: the reverse of the move's dependency order. */
const PURGE_ORDER = [...DATA_PLANE_TABLES].reverse();

/**
 * Every data-plane table but `conversations`: team deletion purges these first, then erases each conversation's
 * Durable Object and deletes its row with it (worker/team-deletion/objects.ts), so the ids are read from the rows.
 */
export const CONVERSATION_CHILD_TABLES: readonly DataPlaneTable[] = PURGE_ORDER.filter(
  (table) => table !== 'conversations',
);

export interface TeamPurgeStep {
  deleted: TeamPurge;
  statements: number;
  /** Nothing of the team is left in its shard nor in `DB`'s data-plane tables. */
  done: boolean;
}

/**
 * One bounded step of the purge: at most `maxStatements` DELETEs (1,000 rows each, worker/db/team-rows.ts), shard
 * first, then `DB`. Call again until `done`.
 */
export async function purgeTeamDataPlaneStep(
  env: Env,
  teamId: string,
  maxStatements = Number.POSITIVE_INFINITY,
  tables: readonly DataPlaneTable[] = PURGE_ORDER,
): Promise<TeamPurgeStep> {
  const shard = shardRouter(env).forTeam(teamId);
  const databases = shard === env.DB ? [env.DB] : [shard, env.DB];
  const deleted = Object.fromEntries(DATA_PLANE_TABLES.map((table) => [table, 0])) as TeamPurge;
  let statements = 0;
  for (const db of databases) {
    const step = await deleteTeamRows(db, tables, teamId, maxStatements - statements);
    statements += step.statements;
    for (const table of DATA_PLANE_TABLES) deleted[table] += step.deleted[table] ?? 0;
    if (!step.done) return { deleted, statements, done: false };
  }
  return { deleted, statements, done: true };
}

/** Deletes every data-plane row of `teamId` from its shard and from `DB`; returns the rows deleted per table. */
export async function purgeTeamDataPlane(env: Env, teamId: string): Promise<TeamPurge> {
  return (await purgeTeamDataPlaneStep(env, teamId)).deleted;
}

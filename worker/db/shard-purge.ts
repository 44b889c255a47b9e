import type { Env } from '../env.ts';
import { DATA_PLANE_TABLES, type DataPlaneTable } from './shard-move.ts';
import { shardRouter } from './shards.ts';

/**
 * Team deletion's data-plane half (issue 19 §2): a team's conversation rows, message copies, tags, comments and event
 * log leave its shard, and any copies left in `DB` from before shards were bound (shard-move.ts keeps its source
 * rows). The control-plane rows (team, members, chatbots, keys) are the caller's to delete, after this succeeds:
 * a failure here leaves the team in place, so the purge can be run again.
 */

/**
 * Rows deleted per statement: one statement stays far below D1's 30 s statement limit and leaves room for other
 * queries on the shard between pages (developers.cloudflare.com/d1/platform/limits).
 */
const PAGE_ROWS = 1_000;

export type TeamPurge = Record<DataPlaneTable, number>;

/** Deletes every data-plane row of `teamId` from its shard and from `DB`; returns the rows deleted per table. */
export async function purgeTeamDataPlane(env: Env, teamId: string): Promise<TeamPurge> {
  const shard = shardRouter(env).forTeam(teamId);
  const databases = shard === env.DB ? [env.DB] : [shard, env.DB];
  const deleted = Object.fromEntries(DATA_PLANE_TABLES.map((table) => [table, 0])) as TeamPurge;
  // Children before the conversation rows they reference: the reverse of the move's dependency order.
  for (const table of [...DATA_PLANE_TABLES].reverse()) {
    for (const db of databases) {
      for (;;) {
        const { meta } = await db
          .prepare(
            `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE team_id = ? LIMIT ${PAGE_ROWS})`,
          )
          .bind(teamId)
          .run();
        deleted[table] += meta.changes;
        if (meta.changes < PAGE_ROWS) break;
      }
    }
  }
  return deleted;
}

import { DATA_PLANE_TABLES, moveTeamToShard } from '../db/shard-move.ts';
import { shardRouter } from '../db/shards.ts';
import { deleteTeamRows } from '../db/team-rows.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';

/** DELETE statements per call (1,000 rows each): with the 12 counts of the verification, far below 1,000 queries. */
const STATEMENTS_PER_CALL = 200;

export interface LegacyRowsDrop {
  teamId: string;
  shard: string;
  done: boolean;
  deleted: Record<string, number>;
}

/**
 * Deletes the data-plane rows a move left in `DB` (worker/db/shard-move.ts keeps its source), a bounded step per
 * call, only once the move is verified: every call first counts both sides again (a budget of 0 copies nothing) and
 * refuses unless the shard holds at least every row `DB` holds. Refused in single-database mode, where `DB` is the
 * team's shard: those rows are the live data.
 */
export async function dropLegacyRows(env: Env, teamId: string): Promise<LegacyRowsDrop> {
  const router = shardRouter(env);
  if (router.forTeam(teamId) === env.DB) {
    throw new ApiError(409, 'not_sharded', 'No shard is bound: DB holds this team’s live data, not a legacy copy');
  }
  const check = await moveTeamToShard(env, teamId, 0);
  if (!check.verified) {
    throw new ApiError(
      409,
      'move_not_verified',
      'Move the team first: its shard does not yet hold every row DB holds',
      {
        tables: check.tables,
      },
    );
  }
  const step = await deleteTeamRows(env.DB, [...DATA_PLANE_TABLES].reverse(), teamId, STATEMENTS_PER_CALL);
  return { teamId, shard: router.shardName(teamId), done: step.done, deleted: step.deleted };
}

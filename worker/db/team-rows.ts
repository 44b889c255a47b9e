/**
 * Deleting a team's rows table by table in pages, under a statement budget: team deletion (worker/team-deletion/),
 * the data-plane purge (shard-purge.ts) and the removal of the legacy rows a move left in `DB` (worker/ops/) all run
 * in invocations capped at 1,000 D1 queries (developers.cloudflare.com/d1/platform/limits), so each stops when its
 * budget is spent and says whether anything is left; a later call continues (what is deleted is gone, so nothing is
 * tracked between calls).
 */

/**
 * Rows deleted per statement: one statement stays far below D1's 30 s statement limit and leaves room for other
 * queries on the database between pages (developers.cloudflare.com/d1/platform/limits).
 */
export const DELETE_PAGE_ROWS = 1_000;

export interface RowDeletion {
  /** Rows deleted per table by this call. */
  deleted: Record<string, number>;
  /** Statements this call ran. */
  statements: number;
  /** True when every table held no row of the team at the end (within the budget). */
  done: boolean;
}

/**
 * Deletes `teamId`'s rows from `tables` of `db`, in the order given (children before the rows they reference), at
 * most `maxStatements` DELETE statements. Table names come from the code, never from a request.
 */
export async function deleteTeamRows(
  db: D1Database,
  tables: readonly string[],
  teamId: string,
  maxStatements = Number.POSITIVE_INFINITY,
  column = 'team_id',
): Promise<RowDeletion> {
  const deleted: Record<string, number> = Object.fromEntries(tables.map((table) => [table, 0]));
  let statements = 0;
  for (const table of tables) {
    for (;;) {
      if (statements >= maxStatements) return { deleted, statements, done: false };
      const { meta } = await db
        .prepare(
          `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${column} = ? LIMIT ${DELETE_PAGE_ROWS})`,
        )
        .bind(teamId)
        .run();
      statements++;
      deleted[table] = (deleted[table] ?? 0) + meta.changes;
      if (meta.changes < DELETE_PAGE_ROWS) break;
    }
  }
  return { deleted, statements, done: true };
}

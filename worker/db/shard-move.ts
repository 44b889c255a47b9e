import type { Env } from '../env.ts';
import { shardRouter } from './shards.ts';

/**
 * The migration from one database to shards (issue 19 §3): copies a team's data-plane rows from `DB` (where they
 * lived before shards were bound) to the team's shard, idempotently, and verifies the counts. Rows already in the
 * shard win (INSERT OR IGNORE): once shards are bound the consumer writes there, so the shard's copy is the newer.
 * Source rows are left in `DB` (nothing is lost if a step fails); docs/scaling.md says when to delete them.
 */

/** In dependency order: conversation rows before the messages, tags and comments that reference them. */
export const DATA_PLANE_TABLES = [
  'conversations',
  'messages',
  'conversation_tags',
  'message_tags',
  'conversation_comments',
  'event_log',
] as const;

export type DataPlaneTable = (typeof DATA_PLANE_TABLES)[number];

/** D1 binds at most 100 parameters per statement (developers.cloudflare.com/d1/platform/limits). */
const MAX_PARAMS = 100;
/** Rows read per page: a few statements per page keep a call far below D1's 1,000 queries per invocation. */
const PAGE_ROWS = 500;

export interface TableMove {
  /** The team's rows in `DB` and in its shard after the copy; the copy is complete when target ≥ source. */
  source: number;
  target: number;
  copied: number;
}

/** Where a budgeted move stopped: the table and the last `DB` rowid it copied; pass it back to continue there. */
export interface MoveCursor {
  table: DataPlaneTable;
  afterRowid: number;
}

export interface TeamMove {
  teamId: string;
  shard: string;
  /** False when `budgetRows` ran out first: call again with `next` (without it, it starts over; copies are ignored). */
  done: boolean;
  /** Where the next call continues; null once every table was copied to the end. */
  next: MoveCursor | null;
  /** Every table's counts verified: the shard holds at least every row `DB` holds. */
  verified: boolean;
  tables: Record<DataPlaneTable, TableMove>;
}

type Row = Record<string, unknown>;

/**
 * Copies up to `budgetRows` rows (default: all) of `teamId`'s data plane from `DB` to its shard, starting at `from`
 * (a previous call's `next`), then counts.
 */
export async function moveTeamToShard(
  env: Env,
  teamId: string,
  budgetRows = Number.POSITIVE_INFINITY,
  from: MoveCursor | null = null,
): Promise<TeamMove> {
  const router = shardRouter(env);
  const target = router.forTeam(teamId);
  const tables = {} as Record<DataPlaneTable, TableMove>;
  let budget = budgetRows;
  let next: MoveCursor | null = null;
  const start = from ? DATA_PLANE_TABLES.indexOf(from.table) : 0;
  for (const [index, table] of DATA_PLANE_TABLES.entries()) {
    let copied = 0;
    // Tables before the cursor were copied by earlier calls; the cursor's own table continues after its rowid.
    let afterRowid = index === start && from ? from.afterRowid : 0;
    // Single-database mode: the team's shard is DB itself, nothing to move.
    while (target !== env.DB && index >= start && next === null) {
      if (budget <= 0) {
        next = { table, afterRowid };
        break;
      }
      const limit = Math.min(PAGE_ROWS, budget);
      const { results } = await env.DB.prepare(
        `SELECT rowid AS _rowid, * FROM ${table} WHERE team_id = ? AND rowid > ? ORDER BY rowid LIMIT ?`,
      )
        .bind(teamId, afterRowid, limit)
        .all<Row>();
      if (results.length === 0) break;
      await insertOrIgnore(target, table, results);
      copied += results.length;
      budget -= results.length;
      afterRowid = Number(results.at(-1)?._rowid);
      if (results.length < limit) break;
    }
    tables[table] = { source: await countRows(env.DB, table, teamId), target: 0, copied };
  }
  // The counters once every row is there; a budgeted step in the middle leaves them to the last step.
  if (target !== env.DB && next === null) await refreshCounters(target, teamId);
  for (const table of DATA_PLANE_TABLES) tables[table].target = await countRows(target, table, teamId);
  const verified = DATA_PLANE_TABLES.every((table) => tables[table].target >= tables[table].source);
  return { teamId, shard: router.shardName(teamId), done: next === null || verified, next, verified, tables };
}

async function insertOrIgnore(db: D1Database, table: DataPlaneTable, rows: Row[]): Promise<void> {
  const columns = Object.keys(rows[0] as Row).filter((column) => column !== '_rowid');
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const values = chunk.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
    statements.push(
      db
        .prepare(`INSERT OR IGNORE INTO ${table} (${columns.join(', ')}) VALUES ${values}`)
        .bind(...chunk.flatMap((row) => columns.map((column) => row[column] ?? null))),
    );
  }
  await db.batch(statements);
}

async function countRows(db: D1Database, table: DataPlaneTable, teamId: string): Promise<number> {
  const row = await db
    .prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE team_id = ?`)
    .bind(teamId)
    .first<{ n: number }>();
  return Number(row?.n ?? 0);
}

/** A conversation's counters from its rows, now that messages from both databases sit together in the shard. */
async function refreshCounters(db: D1Database, teamId: string): Promise<void> {
  await db
    .prepare(
      `UPDATE conversations SET
        message_count = (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = conversations.id),
        last_message_at = (SELECT MAX(m.created_at) FROM messages m WHERE m.conversation_id = conversations.id)
      WHERE team_id = ?`,
    )
    .bind(teamId)
    .run();
}

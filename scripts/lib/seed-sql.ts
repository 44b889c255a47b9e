import { drizzle } from 'drizzle-orm/sqlite-proxy';
import * as schema from '../../worker/db/schema/index.ts';
import type { DemoSeed } from '../../worker/seed/demo.ts';
import { seedInserts } from '../../worker/seed/insert.ts';

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return `'${String(value).replaceAll("'", "''")}'`;
}

/**
 * Renders the seed's drizzle inserts as one SQL script for `wrangler d1 execute --local --file`. drizzle binds
 * every value as a parameter, so the statement text has no literals and each `?` is a placeholder.
 */
export function seedSql(rows: DemoSeed['rows']): string {
  const db = drizzle(async () => ({ rows: [] }), { schema });
  return seedInserts(db, rows)
    .map((query) => {
      const { sql, params } = query.toSQL();
      let index = 0;
      return `${sql.replace(/\?/g, () => literal(params[index++]))};`;
    })
    .join('\n');
}

import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';

/**
 * The most JSON bytes one statement binds. D1 caps a string or BLOB at 2 MB and a statement's text at 100 KB, with
 * ≤ 100 bound parameters (developers.cloudflare.com/d1/platform/limits; older revisions of that page said 1 MB for
 * strings): rows travel as ONE bound JSON parameter, so the parameter count and the SQL text stay constant and only
 * the string grows. 900,000 bytes keeps under the smaller published figure.
 */
export const MAX_JSON_BYTES = 900_000;

const encoder = new TextEncoder();

/**
 * `rows` cut into runs whose JSON stays under `maxBytes` each, in order: a batch of any size is a few statements.
 * A single row larger than the budget goes alone (D1 then refuses it, as it would refuse the row on its own).
 */
export function chunkRows<T>(rows: readonly T[], maxBytes = MAX_JSON_BYTES): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 2; // the brackets
  for (const row of rows) {
    const size = encoder.encode(JSON.stringify(row)).length + 1; // and its comma
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 2;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * `SELECT <every column of table, in its order> FROM json_each(?)`: each array element is one row, keyed by the
 * table's property names, as drizzle's `$inferInsert` spells them (JSON columns as nested JSON, which `json_extract`
 * returns as the text drizzle would have written). For `db.insert(table).select(…)`: the `WHERE true` is SQLite's
 * rule for an upsert after INSERT … SELECT (sqlite.org/lang_upsert.html, "parsing ambiguity").
 */
export function jsonRowsSelect(table: SQLiteTable, rows: readonly object[]): SQL {
  const columns = Object.keys(getTableColumns(table)).map((key) => sql.raw(`json_extract(value, '$.${key}')`));
  return sql`SELECT ${sql.join(columns, sql`, `)} FROM json_each(${JSON.stringify(rows)}) WHERE true ORDER BY key`;
}

import { and, eq, gt, lt, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { fromBase64Url, toBase64Url } from '../security/encoding.ts';
import { ApiError } from './errors.ts';

/**
 * Keyset pagination over (created_at, id), newest first. The cursor is the last row's key, opaque to clients;
 * unlike OFFSET it stays fast and stable while rows are being added. Lists that read oldest first (members,
 * credentials) use the ascending variant, `afterCursorAscending`, with the same cursor and `page`.
 */
export interface Cursor {
  createdAt: number;
  id: string;
}

/** Any list's cursor: its last row's key as text, base64url so clients treat it as an opaque token. */
export function encodeCursorKey(key: string): string {
  return toBase64Url(new TextEncoder().encode(key));
}

/**
 * The key inside a cursor, read by `parse` (undefined when the text is not a key of that list), or a 400 naming
 * `query.cursor` for anything else: bad base64, invalid UTF-8, a key of another list.
 */
export function decodeCursorKey<Key>(cursor: string, parse: (text: string) => Key | undefined): Key {
  try {
    const key = parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(cursor)));
    if (key !== undefined) return key;
  } catch {
    // fall through to the 400 below
  }
  throw new ApiError(400, 'invalid_request', 'Invalid query.cursor', [
    { field: 'query.cursor', message: 'unrecognised cursor' },
  ]);
}

export function encodeCursor(row: Cursor): string {
  return encodeCursorKey(`${row.createdAt}:${row.id}`);
}

export function decodeCursor(cursor: string): Cursor {
  return decodeCursorKey(cursor, (text) => {
    const [createdAt, id] = text.split(':');
    return createdAt && id && /^\d+$/.test(createdAt) ? { createdAt: Number(createdAt), id } : undefined;
  });
}

/** The WHERE clause for "rows after the cursor" in (createdAt DESC, id DESC) order. */
export function afterCursor(cursor: string | undefined, createdAt: SQLiteColumn, id: SQLiteColumn): SQL | undefined {
  if (!cursor) return undefined;
  const key = decodeCursor(cursor);
  return or(lt(createdAt, key.createdAt), and(eq(createdAt, key.createdAt), lt(id, key.id)));
}

/** Fetch `limit + 1` rows; this trims the extra one and says whether there is a next page. */
export function page<T extends Cursor>(rows: T[], limit: number): { data: T[]; nextCursor: string | null } {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

/** The WHERE clause for "rows after the cursor" in (createdAt ASC, id ASC) order: `afterCursor` for oldest-first lists. */
export function afterCursorAscending(
  cursor: string | undefined,
  createdAt: SQLiteColumn,
  id: SQLiteColumn,
): SQL | undefined {
  if (!cursor) return undefined;
  const key = decodeCursor(cursor);
  return or(gt(createdAt, key.createdAt), and(eq(createdAt, key.createdAt), gt(id, key.id)));
}

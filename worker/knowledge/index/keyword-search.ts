import { visibleAt } from './chunk-rows.ts';
import { ftsMatchExpression } from './fts-query.ts';

export interface KeywordMatch {
  chunkId: number;
  /** −bm25, so that higher is better like the dense score (FTS5's bm25() is lower-is-better). */
  score: number;
}

/** The heading path weighs half the body in bm25 (`bm25(chunks_fts, 1.0, 0.5)`, sqlite.org/fts5.html §5.1.1). */
const COLUMN_WEIGHTS = '1.0, 0.5';

/**
 * The `limit` best keyword matches for `text` among the chunks visible at `revision` (and of `documentIds`), best
 * first; ties break by chunk id so the order is stable. Every user token is quoted (fts-query.ts), so no input can
 * make MATCH fail.
 */
export function keywordSearch(
  sql: SqlStorage,
  text: string,
  options: { limit: number; revision?: number; documentIds?: readonly string[] },
): KeywordMatch[] {
  const match = ftsMatchExpression(text);
  if (match === null || options.limit <= 0) return [];
  const visible = visibleAt(options.revision, 'c');
  const documents = options.documentIds ? 'AND c.document_id IN (SELECT value FROM json_each(?))' : '';
  const params: SqlStorageValue[] = [match, ...visible.params];
  if (options.documentIds) params.push(JSON.stringify(options.documentIds));
  params.push(options.limit);
  return sql
    .exec<{ id: number; rank: number }>(
      `SELECT c.id AS id, bm25(chunks_fts, ${COLUMN_WEIGHTS}) AS rank
       FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid
       WHERE chunks_fts MATCH ? AND ${visible.where} ${documents}
       ORDER BY rank, c.id LIMIT ?`,
      ...params,
    )
    .toArray()
    .map((row) => ({ chunkId: row.id, score: -row.rank }));
}

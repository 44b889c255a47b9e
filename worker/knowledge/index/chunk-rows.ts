import { ftsText } from './fts-query.ts';
import type { ChunkView, IndexedChunk } from './knowledge-index.ts';

/** The KnowledgeDO's chunk rows and their keyword index (storage-schema.ts), as synchronous SQL. */
export interface ChunkRow {
  id: number;
  document_id: string;
  chunk_key: string;
  ordinal: number;
  text: string;
  context: string;
  page: number | null;
  tokens: number;
  vector_id: string;
  added_rev: number;
  retired_rev: number | null;
}

/** SQL condition (with its parameters) for the chunks a search at `revision` sees; latest when omitted. */
export function visibleAt(revision: number | undefined, alias = 'chunks'): { where: string; params: number[] } {
  if (revision === undefined) return { where: `${alias}.retired_rev IS NULL`, params: [] };
  return {
    where: `${alias}.added_rev <= ? AND (${alias}.retired_rev IS NULL OR ${alias}.retired_rev > ?)`,
    params: [revision, revision],
  };
}

export function liveKeys(sql: SqlStorage, documentId: string): Set<string> {
  const rows = sql.exec<{ chunk_key: string }>(
    'SELECT chunk_key FROM chunks WHERE document_id = ? AND retired_rev IS NULL',
    documentId,
  );
  return new Set(rows.toArray().map((row) => row.chunk_key));
}

/** Inserts one chunk and its keyword-index entry; false when a live chunk of that key exists (a redelivery). */
export function insertChunk(sql: SqlStorage, chunk: IndexedChunk, revision: number, vectorId: string): boolean {
  const inserted = sql
    .exec<{ id: number }>(
      `INSERT INTO chunks (document_id, chunk_key, ordinal, text, context, page, tokens, vector_id, added_rev)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (document_id, chunk_key) WHERE retired_rev IS NULL DO NOTHING
       RETURNING id`,
      chunk.documentId,
      chunk.chunkKey,
      chunk.ordinal,
      chunk.text,
      chunk.context,
      chunk.page ?? null,
      chunk.tokens,
      vectorId,
      revision,
    )
    .toArray()[0];
  if (!inserted) return false;
  indexText(sql, inserted.id, chunk.text, chunk.context);
  return true;
}

/** Writes (or replaces) a chunk's keyword-index entry: rowid = chunks.id, CJK runs as pairs (fts-query.ts). */
export function indexText(sql: SqlStorage, id: number, text: string, context: string): void {
  sql.exec(
    'INSERT OR REPLACE INTO chunks_fts (rowid, text, context) VALUES (?, ?, ?)',
    id,
    ftsText(text),
    ftsText(context),
  );
}

/** The document's live chunks whose key is not in `keep`. */
export function chunksToRetire(sql: SqlStorage, documentId: string, keep: ReadonlySet<string>): ChunkRow[] {
  return sql
    .exec<ChunkRow & Record<string, SqlStorageValue>>(
      `SELECT * FROM chunks WHERE document_id = ? AND retired_rev IS NULL
       AND chunk_key NOT IN (SELECT value FROM json_each(?))`,
      documentId,
      JSON.stringify([...keep]),
    )
    .toArray();
}

export function retireRows(sql: SqlStorage, ids: readonly number[], revision: number): void {
  sql.exec(
    'UPDATE chunks SET retired_rev = ? WHERE retired_rev IS NULL AND id IN (SELECT value FROM json_each(?))',
    revision,
    JSON.stringify(ids),
  );
}

export function rowsByVectorIds(sql: SqlStorage, vectorIds: readonly string[]): Map<string, ChunkRow> {
  const rows = sql
    .exec<ChunkRow & Record<string, SqlStorageValue>>(
      'SELECT * FROM chunks WHERE vector_id IN (SELECT value FROM json_each(?))',
      JSON.stringify(vectorIds),
    )
    .toArray();
  return new Map(rows.map((row) => [row.vector_id, row]));
}

export function rowsByIds(sql: SqlStorage, ids: readonly number[]): Map<number, ChunkRow> {
  const rows = sql
    .exec<ChunkRow & Record<string, SqlStorageValue>>(
      'SELECT * FROM chunks WHERE id IN (SELECT value FROM json_each(?))',
      JSON.stringify(ids),
    )
    .toArray();
  return new Map(rows.map((row) => [row.id, row]));
}

export function viewOf(row: ChunkRow): ChunkView {
  return {
    chunkKey: row.chunk_key,
    ordinal: row.ordinal,
    text: row.text,
    context: row.context,
    ...(row.page !== null && { page: row.page }),
    tokens: row.tokens,
    addedRevision: row.added_rev,
    ...(row.retired_rev !== null && { retiredRevision: row.retired_rev }),
  };
}

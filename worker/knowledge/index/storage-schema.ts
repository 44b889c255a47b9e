import { LOCAL_VECTOR_SCHEMA } from './local-vector-store.ts';

/**
 * The KnowledgeDO's own SQLite schema (knowledge-do.ts). Each entry runs once, in order; `schema_version` in `meta`
 * records how far an object has come.
 *
 * - `chunks`: one row per chunk per life: a chunk replaced or deleted keeps its row with `retired_rev` set, so a
 *   search pinned to an older revision still finds it (knowledge-index.ts). At most one live row per
 *   (document_id, chunk_key): what makes a redelivered batch change nothing.
 * - `chunks_fts`: the keyword index, contentless (the text lives once, in `chunks`) with `contentless_delete=1` so
 *   a moved chunk's context can be replaced (sqlite.org/fts5.html §4.4.4); rowid = chunks.id, written explicitly
 *   with each chunk. `remove_diacritics 2` folds `café` to `cafe` in any position; CJK text is indexed as pairs of
 *   characters (fts-query.ts).
 * - `vectors`: the local vector store (local-vector-store.ts); unused when the collection's vectors are in Vectorize.
 * - `documents` (2): what a hit shows of its document (title, source URL, whether the admin made it public), written
 *   by ingestion and `setDocumentInfo`, so a search answers with titles and no D1 read (document-info.ts). A deleted
 *   document keeps its row while pinned revisions may still return its chunks; pruning removes it with the last one.
 * - `meta.published_revision` (2): the collection's published revision, recorded by ingestion after D1 publishes it;
 *   a search without a revision searches it (not the raw latest rows, which include changes still ingesting).
 */
export const knowledgeStorageMigrations: readonly string[] = [
  `CREATE TABLE chunks (
     id INTEGER PRIMARY KEY,
     document_id TEXT NOT NULL,
     chunk_key TEXT NOT NULL,
     ordinal INTEGER NOT NULL,
     text TEXT NOT NULL,
     context TEXT NOT NULL,
     page INTEGER,
     tokens INTEGER NOT NULL,
     vector_id TEXT NOT NULL,
     added_rev INTEGER NOT NULL,
     retired_rev INTEGER
   );
   CREATE UNIQUE INDEX chunks_live ON chunks (document_id, chunk_key) WHERE retired_rev IS NULL;
   CREATE INDEX chunks_document ON chunks (document_id, ordinal);
   CREATE UNIQUE INDEX chunks_vector ON chunks (vector_id);
   CREATE VIRTUAL TABLE chunks_fts USING fts5(
     text, context, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
   );
   ${LOCAL_VECTOR_SCHEMA}`,
  `CREATE TABLE documents (
     document_id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     source_url TEXT,
     public INTEGER NOT NULL DEFAULT 0
   );`,
];

export function migrateKnowledgeStorage(sql: SqlStorage): void {
  sql.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const row = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'").toArray()[0];
  for (let version = row ? Number(row.value) : 0; version < knowledgeStorageMigrations.length; version++) {
    sql.exec(knowledgeStorageMigrations[version] ?? '');
    sql.exec(
      "INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      String(version + 1),
    );
  }
}

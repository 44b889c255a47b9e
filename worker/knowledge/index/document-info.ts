import type { DocumentInfo, SearchHit } from './knowledge-index.ts';

/** The KnowledgeDO's `documents` table (storage-schema.ts): what hits show of their document. */
interface DocumentRow {
  document_id: string;
  title: string;
  source_url: string | null;
  public: number;
}

/**
 * Records a document's title, source URL and public flag. `public` omitted (ingestion indexing a document) keeps
 * the flag the object already has, so re-indexing never undoes an admin's choice made through `setDocumentInfo`.
 */
export function writeDocumentInfo(sql: SqlStorage, info: Omit<DocumentInfo, 'public'> & { public?: boolean }): void {
  sql.exec(
    `INSERT INTO documents (document_id, title, source_url, public) VALUES (?, ?, ?, COALESCE(?, 0))
     ON CONFLICT (document_id) DO UPDATE SET title = excluded.title, source_url = excluded.source_url,
       public = COALESCE(?, documents.public)`,
    info.documentId,
    info.title,
    info.sourceUrl ?? null,
    info.public === undefined ? null : Number(info.public),
    info.public === undefined ? null : Number(info.public),
  );
}

/** The hits with their document's title, source URL and public flag, where the object knows the document. */
export function withDocumentInfo(sql: SqlStorage, hits: SearchHit[]): SearchHit[] {
  const ids = [...new Set(hits.map((hit) => hit.documentId))];
  if (ids.length === 0) return hits;
  const rows = sql
    .exec<DocumentRow & Record<string, SqlStorageValue>>(
      'SELECT * FROM documents WHERE document_id IN (SELECT value FROM json_each(?))',
      JSON.stringify(ids),
    )
    .toArray();
  const byId = new Map(rows.map((row) => [row.document_id, row]));
  return hits.map((hit) => {
    const row = byId.get(hit.documentId);
    if (!row) return hit;
    return {
      ...hit,
      documentTitle: row.title,
      ...(row.source_url !== null && { sourceUrl: row.source_url }),
      public: row.public === 1,
    };
  });
}

/** Removes the rows of documents none of whose chunks remain (after pruning). */
export function forgetDocumentsWithoutChunks(sql: SqlStorage): void {
  sql.exec('DELETE FROM documents WHERE document_id NOT IN (SELECT DISTINCT document_id FROM chunks)');
}

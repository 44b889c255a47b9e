import type { knowledgeDocuments } from '../../db/schema/index.ts';
import { iso } from '../../http/schemas.ts';
import type { DocumentFormat } from './formats.ts';
import type { KnowledgeDocument } from './schemas.ts';

export type DocumentRow = typeof knowledgeDocuments.$inferSelect;

export function presentDocument(row: DocumentRow): KnowledgeDocument {
  return {
    id: row.id,
    collectionId: row.collectionId,
    title: row.title,
    source: row.source,
    sourceUrl: row.sourceUrl,
    contentType: row.contentType,
    format: row.format as DocumentFormat,
    bytes: row.bytes,
    sha256: row.sha256,
    public: row.public,
    status: row.status,
    error: row.error,
    progress: { chunksDone: row.chunksDone, chunksTotal: row.chunksTotal },
    revision: row.revision,
    createdAt: iso(row.createdAt) ?? '',
    updatedAt: iso(row.updatedAt) ?? '',
  };
}

/**
 * The knowledge API as the dashboard calls it (docs/knowledge.md): resource shapes are the worker's zod schemas,
 * taken as types only (scripts/check-ui-imports.ts), and the paths are built here so no view spells one twice.
 */
import type { z } from 'zod';
import type { Collection } from '../../../../worker/knowledge/collections/schemas.ts';
import type { ChunkSchema, KnowledgeDocument } from '../../../../worker/knowledge/documents/schemas.ts';
import type { SearchHitSchema, SearchResult } from '../../../../worker/knowledge/search/schemas.ts';

export type { Collection, KnowledgeDocument, SearchResult };
export type Chunk = z.infer<typeof ChunkSchema>;
export type SearchHit = z.infer<typeof SearchHitSchema>;
export type SearchMode = SearchResult['mode'];
export type DocumentStatus = KnowledgeDocument['status'];

/** A page of chunks also says how many the document has in all. */
export interface ChunkPage {
  data: Chunk[];
  total: number;
  nextCursor: string | null;
}

const base = '/api/v1/knowledge/collections';
const part = encodeURIComponent;

export const knowledgePaths = {
  collections: base,
  collection: (id: string) => `${base}/${part(id)}`,
  documents: (id: string) => `${base}/${part(id)}/documents`,
  upload: (id: string, fileName: string) => `${base}/${part(id)}/documents?filename=${part(fileName)}`,
  text: (id: string) => `${base}/${part(id)}/documents/text`,
  url: (id: string) => `${base}/${part(id)}/documents/url`,
  document: (id: string, documentId: string) => `${base}/${part(id)}/documents/${part(documentId)}`,
  reindex: (id: string, documentId: string) => `${base}/${part(id)}/documents/${part(documentId)}/reindex`,
  file: (id: string, documentId: string, fileName: string) =>
    `${base}/${part(id)}/documents/${part(documentId)}/file?filename=${part(fileName)}`,
  chunks: (id: string, documentId: string) => `${base}/${part(id)}/documents/${part(documentId)}/chunks`,
  search: (id: string) => `${base}/${part(id)}/search`,
};

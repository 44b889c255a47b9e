import { iso } from '../../http/schemas.ts';
import type { CollectionRow } from '../index/collection-ref.ts';
import type { Collection } from './schemas.ts';

export type StatusCounts = NonNullable<Collection['documents']>;

/** A collection row as the API shows it. */
export function presentCollection(row: CollectionRow, documents?: StatusCounts): Collection {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    embedder: { pluginId: row.embedderPluginId, model: row.embeddingModel, dimensions: row.dimensions },
    chunking: { chunkTokens: row.chunkTokens, chunkOverlap: row.chunkOverlap },
    search: { denseWeight: row.denseWeight, fetchK: row.fetchK, rrfK: row.rrfK },
    reranker: row.reranker ?? null,
    revision: row.revision,
    documentCount: row.documentCount,
    chunkCount: row.chunkCount,
    ...(documents && { documents }),
    createdAt: iso(row.createdAt) ?? '',
    updatedAt: iso(row.updatedAt) ?? '',
  };
}

import { and, count, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { embedders, rerankers } from '../../../plugins/registry.ts';
import type { Database } from '../../db/client.ts';
import { type CollectionReranker, knowledgeCollections, knowledgeDocuments } from '../../db/schema/index.ts';
import type { Env } from '../../env.ts';
import { ApiError } from '../../http/errors.ts';
import { newId } from '../../ids.ts';
import { knowledgeIndex } from '../index/client.ts';
import { type CollectionRow, refOf } from '../index/collection-ref.ts';
import type { StatusCounts } from './present.ts';
import type { CreateCollectionBody, PatchCollectionBody } from './schemas.ts';
import { collectionPrefix, deletePrefix } from './storage-keys.ts';

/** The embedder a collection uses when the request names none: works with no key and no network. */
export const DEFAULT_EMBEDDER = { pluginId: 'offline-embedder', model: 'hash-1024' } as const;

function invalid(field: string, message: string): ApiError {
  return new ApiError(400, 'invalid_request', `Invalid ${field}`, [{ field, message }]);
}

/** The re-ranker setting checked against the installed plugins: unknown plugin or model → 400 naming the field. */
function checkedReranker(wanted: CollectionReranker | null | undefined): CollectionReranker | null | undefined {
  if (!wanted) return wanted;
  const plugin = rerankers.get(wanted.pluginId);
  if (!plugin) {
    const installed = [...rerankers.keys()].join(', ');
    throw invalid('body.reranker.pluginId', `no re-ranker "${wanted.pluginId}"; installed: ${installed}`);
  }
  const model = plugin.models.find((m) => m.id === wanted.model);
  if (!model) {
    throw invalid(
      'body.reranker.model',
      `${plugin.id} has no model "${wanted.model}"; it has ${plugin.models.map((m) => m.id).join(', ')}`,
    );
  }
  if (wanted.candidates > model.maxDocuments) {
    throw invalid('body.reranker.candidates', `${model.id} re-ranks at most ${model.maxDocuments} documents per call`);
  }
  return { pluginId: plugin.id, model: model.id, candidates: wanted.candidates };
}

export async function createCollection(
  db: Database,
  teamId: string,
  body: z.infer<typeof CreateCollectionBody>,
): Promise<CollectionRow> {
  const wanted = body.embedder ?? DEFAULT_EMBEDDER;
  const plugin = embedders.get(wanted.pluginId);
  if (!plugin) {
    throw invalid(
      'body.embedder.pluginId',
      `no embedder "${wanted.pluginId}"; installed: ${[...embedders.keys()].join(', ')}`,
    );
  }
  const model = plugin.models.find((m) => m.id === wanted.model);
  if (!model) {
    throw invalid(
      'body.embedder.model',
      `${plugin.id} has no model "${wanted.model}"; it has ${plugin.models.map((m) => m.id).join(', ')}`,
    );
  }
  const chunking = body.chunking ?? { chunkTokens: 800, chunkOverlap: 400 };
  if (chunking.chunkTokens > model.maxInputTokens) {
    throw invalid('body.chunking.chunkTokens', `${model.id} reads at most ${model.maxInputTokens} tokens per input`);
  }
  const reranker = checkedReranker(body.reranker) ?? null;
  const now = Date.now();
  const [row] = await db
    .insert(knowledgeCollections)
    .values({
      id: newId('kcol', now),
      teamId,
      name: body.name,
      description: body.description ?? '',
      embedderPluginId: plugin.id,
      embeddingModel: model.id,
      dimensions: model.dimensions,
      ...chunking,
      ...body.search,
      reranker,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function documentStatusCounts(db: Database, teamId: string, collectionId: string): Promise<StatusCounts> {
  const rows = await db
    .select({ status: knowledgeDocuments.status, n: count() })
    .from(knowledgeDocuments)
    .where(and(eq(knowledgeDocuments.teamId, teamId), eq(knowledgeDocuments.collectionId, collectionId)))
    .groupBy(knowledgeDocuments.status);
  const counts: StatusCounts = { queued: 0, parsing: 0, embedding: 0, ready: 0, failed: 0 };
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

export async function patchCollection(
  db: Database,
  row: CollectionRow,
  body: z.infer<typeof PatchCollectionBody>,
): Promise<CollectionRow> {
  const model = embedders.get(row.embedderPluginId)?.models.find((m) => m.id === row.embeddingModel);
  if (body.chunking && model && body.chunking.chunkTokens > model.maxInputTokens) {
    throw invalid('body.chunking.chunkTokens', `${model.id} reads at most ${model.maxInputTokens} tokens per input`);
  }
  const reranker = checkedReranker(body.reranker);
  const [updated] = await db
    .update(knowledgeCollections)
    .set({
      ...(body.name !== undefined && { name: body.name }),
      ...(body.description !== undefined && { description: body.description }),
      ...body.chunking,
      ...body.search,
      ...(reranker !== undefined && { reranker }),
      updatedAt: Date.now(),
    })
    .where(and(eq(knowledgeCollections.id, row.id), eq(knowledgeCollections.teamId, row.teamId)))
    .returning();
  if (!updated) throw new ApiError(404, 'not_found', 'Collection not found');
  return updated;
}

/**
 * Deletes a collection and everything it holds: its KnowledgeDO's vectors (Vectorize, in batches of ≤ 1,000 ids) and
 * all of the object's storage (`deleteAll`: chunks, keyword index, local vectors, document info), its R2 objects,
 * then its rows (documents and ingestion batches cascade). Chatbot versions that pinned it keep their pins; their
 * searches of it find no collection and return nothing. Each step is idempotent, so a retry after a failure midway
 * finishes the job; ingestion messages still queued for its documents find no collection and are dropped.
 */
export async function deleteCollection(env: Env, db: Database, row: CollectionRow): Promise<void> {
  await knowledgeIndex(env).deleteAll(refOf(row));
  await deletePrefix(env.FILES, collectionPrefix(row.teamId, row.id));
  await db
    .delete(knowledgeCollections)
    .where(and(eq(knowledgeCollections.id, row.id), eq(knowledgeCollections.teamId, row.teamId)));
}

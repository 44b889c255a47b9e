/** Test-only: a team with a collection on the offline embedder whose texts are indexed at revision 1. */
import { env } from 'cloudflare:test';
import { createApiKey } from '../../../test/api-keys.ts';
import { seedDemo } from '../../../test/seed.ts';
import { database } from '../../db/client.ts';
import { type CollectionReranker, knowledgeCollections, knowledgeDocuments } from '../../db/schema/index.ts';
import { embedTexts } from '../embed.ts';
import { knowledgeIndex } from '../index/client.ts';
import { refOf } from '../index/collection-ref.ts';

export interface IndexedTeam {
  teamId: string;
  /** A read-only API key of the team. */
  key: string;
  /** The demo's admin key, for configuring plugins. */
  adminKey: string;
  collectionId: string;
  documentIds: string[];
}

const shortId = (prefix: string) => `${prefix}_${crypto.randomUUID().replaceAll('-', '').slice(0, 26)}`;

/** One document and one chunk (`k<i>`) per text, as ingestion would leave them, with the given re-ranker. */
export async function indexedCollection(
  texts: readonly string[],
  reranker: CollectionReranker | null = null,
): Promise<IndexedTeam> {
  const demo = await seedDemo();
  const key = await createApiKey(demo.teamId, ['read']);
  const collectionId = shortId('kcol');
  const db = database(env.DB);
  const now = Date.now();
  const [row] = await db
    .insert(knowledgeCollections)
    .values({
      id: collectionId,
      teamId: demo.teamId,
      name: 'Manuals',
      embedderPluginId: 'offline-embedder',
      embeddingModel: 'hash-1024',
      dimensions: 1024,
      revision: 1,
      reranker,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!row) throw new Error('no collection');
  const documentIds = texts.map(() => shortId('kdoc'));
  await db.insert(knowledgeDocuments).values(
    documentIds.map((id, i) => ({
      id,
      teamId: demo.teamId,
      collectionId,
      title: `Document ${i}`,
      source: 'text' as const,
      fileKey: `knowledge/${demo.teamId}/${collectionId}/${id}/x`,
      contentType: 'text/plain',
      format: 'txt',
      bytes: 10,
      sha256: 'x',
      status: 'ready' as const,
      ingestId: 'i',
      revision: 1,
      createdAt: now,
      updatedAt: now,
    })),
  );
  const ref = refOf(row);
  const { vectors } = await embedTexts(env, demo.teamId, ref.embedder, texts, 'document');
  await knowledgeIndex(env).addChunks(
    ref,
    1,
    texts.map((text, i) => ({
      documentId: documentIds[i] ?? '',
      chunkKey: `k${i}`,
      ordinal: 0,
      text,
      context: '',
      tokens: 10,
      vector: vectors[i] ?? new Float32Array(1024),
    })),
  );
  return { teamId: demo.teamId, key, adminKey: demo.apiKey, collectionId, documentIds };
}

import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, updatedAt } from './columns.ts';
import { teamRef } from './team-ref.ts';

/** A collection's re-ranker: an installed re-ranker plugin, one of its models, and how many fused hits it re-orders. */
export interface CollectionReranker {
  pluginId: string;
  model: string;
  candidates: number;
}

/**
 * Knowledge collections (docs/knowledge.md). Configuration lives here; chunks, their keyword index and (locally)
 * their vectors live in the collection's KnowledgeDO (worker/knowledge/index/), never in this shared database.
 * `revision` grows by one each time the collection's content changes (a document indexed, replaced or deleted):
 * chatbot versions pin it (worker/knowledge/index/knowledge-index.ts).
 */
export const knowledgeCollections = sqliteTable(
  'knowledge_collections',
  {
    id: text('id').primaryKey(),
    teamId: teamRef(),
    name: text('name').notNull(),
    /** What the collection is about: shown to the model when it chooses among several collections. */
    description: text('description').notNull().default(''),
    embedderPluginId: text('embedder_plugin_id').notNull(),
    embeddingModel: text('embedding_model').notNull(),
    dimensions: integer('dimensions').notNull(),
    /** Chunk size and overlap in tokens (OCS defaults: 800 and 400). */
    chunkTokens: integer('chunk_tokens').notNull().default(800),
    chunkOverlap: integer('chunk_overlap').notNull().default(400),
    /** Hybrid search defaults (OCS: dense weight 0.7, fetch 40, RRF k 60). */
    denseWeight: real('dense_weight').notNull().default(0.7),
    fetchK: integer('fetch_k').notNull().default(40),
    rrfK: integer('rrf_k').notNull().default(60),
    /** Optional re-ranking of the fused hits (docs/knowledge.md#re-ranking); null: none. JSON. */
    reranker: text('reranker', { mode: 'json' }).$type<CollectionReranker>(),
    revision: integer('revision').notNull().default(0),
    /**
     * The last revision handed to a change (a document's ingestion, a delete). `revision` is the highest one every
     * change up to which has finished, so "latest" never shows a half-ingested document (docs/knowledge.md#revisions).
     */
    nextRevision: integer('next_revision').notNull().default(0),
    documentCount: integer('document_count').notNull().default(0),
    chunkCount: integer('chunk_count').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('knowledge_collections_team').on(t.teamId, t.name)],
);

export type DocumentStatus = 'queued' | 'parsing' | 'embedding' | 'ready' | 'failed';

/** One document of a collection: its source, where its bytes sit in R2, and its ingestion status and progress. */
export const knowledgeDocuments = sqliteTable(
  'knowledge_documents',
  {
    id: text('id').primaryKey(),
    teamId: teamRef(),
    collectionId: text('collection_id')
      .notNull()
      .references(() => knowledgeCollections.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    source: text('source', { enum: ['upload', 'url', 'text'] }).notNull(),
    sourceUrl: text('source_url'),
    /** R2 key of the original bytes (`knowledge/<team>/<collection>/<document>/<sha256>`). */
    fileKey: text('file_key').notNull(),
    contentType: text('content_type').notNull(),
    format: text('format').notNull(),
    bytes: integer('bytes').notNull(),
    sha256: text('sha256').notNull(),
    /** Admin-marked public: citations in the widget link to a download. */
    public: integer('public', { mode: 'boolean' }).notNull().default(false),
    status: text('status').$type<DocumentStatus>().notNull(),
    error: text('error'),
    chunksDone: integer('chunks_done').notNull().default(0),
    chunksTotal: integer('chunks_total').notNull().default(0),
    /** Id of the ingestion attempt that owns the document: a stale redelivery of an older attempt is dropped. */
    ingestId: text('ingest_id').notNull(),
    /** The collection revision this document's current content was indexed at (null until first ready). */
    revision: integer('revision'),
    /** The revision the ingestion in progress writes at; set until it is ready or failed (holds `revision` back). */
    pendingRevision: integer('pending_revision'),
    /** Embedding batches of the ingestion in progress (its plan in R2); done ones are in knowledge_ingest_batches. */
    batchCount: integer('batch_count').notNull().default(0),
    /** Chunks the ingestion in progress found already indexed (unchanged text): counted done without embedding. */
    chunksReused: integer('chunks_reused').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('knowledge_documents_collection').on(t.collectionId, t.createdAt)],
);

/**
 * The embedding batches an ingestion has finished, one row per (attempt, batch): recording one twice is a no-op, so
 * progress (`chunks_done`) is recomputed from these rows and a redelivered batch never counts twice.
 */
export const knowledgeIngestBatches = sqliteTable(
  'knowledge_ingest_batches',
  {
    teamId: teamRef(),
    documentId: text('document_id')
      .notNull()
      .references(() => knowledgeDocuments.id, { onDelete: 'cascade' }),
    ingestId: text('ingest_id').notNull(),
    batch: integer('batch').notNull(),
    chunks: integer('chunks').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ingestId, t.batch] }), index('knowledge_ingest_batches_document').on(t.documentId)],
);

import { embedders } from '../../../plugins/registry.ts';
import { EmbedderError } from '../../../plugins/sdk/embedder.ts';
import { database } from '../../db/client.ts';
import type { Env } from '../../env.ts';
import { publishedRevisionOf, publishRevision } from '../collections/revisions.ts';
import { deletePrefix, documentPrefix, ingestPrefix } from '../collections/storage-keys.ts';
import type { DocumentFormat } from '../documents/formats.ts';
import type { DocumentRow } from '../documents/present.ts';
import { loadDocument } from '../documents/store.ts';
import { EmbedderUnavailable, type embedTexts } from '../embed.ts';
import { type CollectionRow, loadCollection, refOf } from '../index/collection-ref.ts';
import type { KnowledgeIndex } from '../index/knowledge-index.ts';
import { parseDocument } from '../parsers/parse.ts';
import { afterPublish } from '../pins/after-publish.ts';
import { type Chunk, chunkDocument } from './chunker.ts';
import { type EmbedMessage, type IngestMessage, type IngestTarget, type ParseMessage, sendAll } from './messages.ts';
import { batchKey, type IngestPlan, planKey, readJson, textKey } from './plan.ts';

/** What the steps need; tests hand in the real index and embedder wrapped to inject faults. */
export interface IngestDeps {
  env: Env;
  index: KnowledgeIndex;
  embed: typeof embedTexts;
}

/** The step must be tried again later (a retryable embedder failure: 429, 5xx), after at least `delaySeconds`. */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly delaySeconds?: number,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

interface Loaded {
  collection: CollectionRow;
  document: DocumentRow;
  prefix: string;
}

/** The document and collection of a message, or null when the message is stale (another attempt, deleted). */
async function load(env: Env, target: IngestTarget): Promise<Loaded | null> {
  const collection = await loadCollection(database(env.DB), target.teamId, target.collectionId);
  if (!collection) return null;
  const document = await loadDocument(env, target.teamId, target.collectionId, target.documentId);
  if (!document || document.ingestId !== target.ingestId) return null;
  if (document.status === 'ready' || document.status === 'failed' || document.pendingRevision === null) return null;
  const prefix = ingestPrefix(target.teamId, target.collectionId, target.documentId, target.ingestId);
  return { collection, document, prefix };
}

function setStatus(env: Env, target: IngestTarget, sets: string, ...values: unknown[]) {
  return env.DB.prepare(
    `UPDATE knowledge_documents SET ${sets}, updated_at = ?5 WHERE id = ?1 AND team_id = ?2 AND collection_id = ?3 AND ingest_id = ?4`,
  ).bind(target.documentId, target.teamId, target.collectionId, target.ingestId, Date.now(), ...values);
}

export async function runStep(deps: IngestDeps, message: IngestMessage): Promise<void> {
  if (message.kind === 'parse') await parseStep(deps, message);
  else await embedStep(deps, message);
}

/** Parse → extracted text to R2 → chunk → diff with the live chunks → batches to R2 → plan → embed messages. */
async function parseStep(deps: IngestDeps, message: ParseMessage): Promise<void> {
  const { env } = deps;
  const loaded = await load(env, message);
  if (!loaded) return;
  const { collection, document, prefix } = loaded;
  let plan = await readJson<IngestPlan>(env.FILES, planKey(prefix));
  if (!plan) {
    await setStatus(env, message, "status = 'parsing'").run();
    const original = await env.FILES.get(document.fileKey);
    if (!original) return fail(deps, loaded, message, 'The document’s file is missing from storage');
    let chunks: Chunk[];
    try {
      const parsed = await parseDocument(
        document.format as DocumentFormat,
        new Uint8Array(await original.arrayBuffer()),
      );
      await env.FILES.put(textKey(prefix), JSON.stringify(parsed.sections));
      chunks = await chunkDocument(parsed.sections, collection);
    } catch (error) {
      return fail(deps, loaded, message, error instanceof Error ? error.message : String(error));
    }
    if (chunks.length === 0) return fail(deps, loaded, message, 'The document has no text to index');
    const ref = refOf(collection);
    const live = await deps.index.liveChunkKeys(ref, document.id);
    const reused = chunks.filter((c) => live.has(c.chunkKey));
    const fresh = chunks.filter((c) => !live.has(c.chunkKey));
    if (reused.length > 0) {
      await deps.index.moveChunks(
        ref,
        document.id,
        reused.map(({ chunkKey, ordinal, context, page }) => ({ chunkKey, ordinal, context, ...(page && { page }) })),
      );
    }
    const maxBatch =
      embedders.get(collection.embedderPluginId)?.models.find((m) => m.id === collection.embeddingModel)?.maxBatch ??
      100;
    let batchCount = 0;
    for (let start = 0; start < fresh.length; start += maxBatch, batchCount++) {
      await env.FILES.put(batchKey(prefix, batchCount), JSON.stringify(fresh.slice(start, start + maxBatch)));
    }
    plan = {
      ingestId: message.ingestId,
      keys: chunks.map((c) => c.chunkKey),
      chunksTotal: chunks.length,
      chunksReused: reused.length,
      batchCount,
    };
    await env.FILES.put(planKey(prefix), JSON.stringify(plan));
  }
  await setStatus(
    env,
    message,
    "status = 'embedding', chunks_total = ?6, chunks_reused = ?7, batch_count = ?8, chunks_done = ?7 + (SELECT COALESCE(SUM(chunks), 0) FROM knowledge_ingest_batches WHERE ingest_id = ?4)",
    plan.chunksTotal,
    plan.chunksReused,
    plan.batchCount,
  ).run();
  if (plan.batchCount === 0) return finish(deps, loaded, message, plan);
  const batches: EmbedMessage[] = Array.from({ length: plan.batchCount }, (_, batch) => ({
    ...message,
    kind: 'embed',
    batch,
  }));
  await sendAll(env.INGEST, batches);
}

/** Embed one batch, add it to the index at the document's pending revision, record it; the last one finishes. */
async function embedStep(deps: IngestDeps, message: EmbedMessage): Promise<void> {
  const { env } = deps;
  const loaded = await load(env, message);
  if (!loaded) return;
  const { collection, document, prefix } = loaded;
  const done = await env.DB.prepare(
    'SELECT 1 AS done FROM knowledge_ingest_batches WHERE ingest_id = ? AND batch = ? AND team_id = ?',
  )
    .bind(message.ingestId, message.batch, message.teamId)
    .first();
  if (!done) {
    const chunks = await readJson<Chunk[]>(env.FILES, batchKey(prefix, message.batch));
    if (!chunks) return fail(deps, loaded, message, `Embedding batch ${message.batch} is missing from storage`);
    const ref = refOf(collection);
    let vectors: Float32Array[];
    try {
      vectors = (
        await deps.embed(
          env,
          collection.teamId,
          ref.embedder,
          chunks.map((c) => c.text),
          'document',
        )
      ).vectors;
    } catch (error) {
      if (error instanceof EmbedderError && error.retryable) {
        throw new RetryLater(error.message, error.retryAfterMs ? Math.ceil(error.retryAfterMs / 1000) : undefined);
      }
      if (error instanceof EmbedderError || error instanceof EmbedderUnavailable) {
        return fail(deps, loaded, message, `Embedding failed: ${error.message}`);
      }
      throw error;
    }
    const revision = document.pendingRevision ?? 0;
    await deps.index.addChunks(
      ref,
      revision,
      chunks.map((chunk, i) => ({ ...chunk, documentId: document.id, vector: vectors[i] ?? new Float32Array() })),
    );
    await env.DB.batch([
      env.DB.prepare(
        'INSERT OR IGNORE INTO knowledge_ingest_batches (team_id, document_id, ingest_id, batch, chunks) VALUES (?, ?, ?, ?, ?)',
      ).bind(message.teamId, message.documentId, message.ingestId, message.batch, chunks.length),
      setStatus(
        env,
        message,
        'chunks_done = chunks_reused + (SELECT COALESCE(SUM(chunks), 0) FROM knowledge_ingest_batches WHERE ingest_id = ?4)',
      ),
    ]);
  }
  const finished = await env.DB.prepare(
    'SELECT COUNT(*) AS n FROM knowledge_ingest_batches WHERE ingest_id = ? AND team_id = ?',
  )
    .bind(message.ingestId, message.teamId)
    .first<{ n: number }>();
  if ((finished?.n ?? 0) < document.batchCount) return;
  const plan = await readJson<IngestPlan>(env.FILES, planKey(prefix));
  if (plan) await finish(deps, loaded, message, plan);
}

/**
 * Every batch is in: retire the document's chunks that are not in the new content (at the same revision, so the
 * switch is atomic for searches), mark it ready, publish the revision. Idempotent: two last batches finishing at
 * once both run it to the same end.
 */
async function finish(deps: IngestDeps, loaded: Loaded, target: IngestTarget, plan: IngestPlan): Promise<void> {
  const { env } = deps;
  const revision = loaded.document.pendingRevision ?? 0;
  const ref = refOf(loaded.collection);
  await deps.index.retireChunks(ref, revision, target.documentId, new Set(plan.keys));
  // Before the revision is published, so its hits carry the title (and no D1 read) from their first search.
  const { document } = loaded;
  await deps.index.setDocumentInfo(ref, {
    documentId: document.id,
    title: document.title,
    ...(document.sourceUrl && { sourceUrl: document.sourceUrl }),
    public: document.public,
  });
  const [, published] = await env.DB.batch([
    setStatus(
      env,
      target,
      "status = 'ready', error = NULL, revision = ?6, pending_revision = NULL, chunks_done = chunks_total",
      revision,
    ),
    publishRevision(env, target.teamId, target.collectionId),
  ]);
  await afterPublish(env, deps.index, loaded.collection, publishedRevisionOf(published));
  // The batches have served; the plan and extracted text stay (the text for the viewer), older attempts go.
  const documentFolder = documentPrefix(target.teamId, target.collectionId, target.documentId);
  await deletePrefix(
    env.FILES,
    `${documentFolder}ingest/`,
    (key) => key === planKey(loaded.prefix) || key === textKey(loaded.prefix),
  );
}

/**
 * The document cannot be ingested: its chunks are all retired at its pending revision (a failed document contributes
 * nothing to "latest"; pinned revisions keep what they had), and it is marked failed with the reason.
 */
export async function fail(deps: IngestDeps, loaded: Loaded, target: IngestTarget, reason: string): Promise<void> {
  const { env } = deps;
  const revision = loaded.document.pendingRevision ?? 0;
  await deps.index.retireChunks(refOf(loaded.collection), revision, target.documentId, new Set());
  const [, published] = await env.DB.batch([
    setStatus(env, target, "status = 'failed', error = ?6, pending_revision = NULL", reason.slice(0, 1000)),
    publishRevision(env, target.teamId, target.collectionId),
  ]);
  await afterPublish(env, deps.index, loaded.collection, publishedRevisionOf(published));
}

/** After the queue's last retry, a step that kept failing fails its document rather than holding the revision. */
export async function failTarget(deps: IngestDeps, target: IngestTarget, reason: string): Promise<void> {
  const loaded = await load(deps.env, target);
  if (loaded) await fail(deps, loaded, target, reason);
}

import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../../env.ts';
import type { VectorStore } from '../../ports/vector-store.ts';
import { chunksToRetire, indexText, insertChunk, liveKeys, retireRows, rowsByVectorIds, viewOf } from './chunk-rows.ts';
import { withDocumentInfo, writeDocumentInfo } from './document-info.ts';
import type {
  ChunkView,
  CollectionRef,
  DocumentInfo,
  IndexedChunk,
  KnowledgeIndex,
  SearchHit,
  SearchQuery,
} from './knowledge-index.ts';
import { LocalVectorStore } from './local-vector-store.ts';
import { pruneRetired, vectorIdPages } from './prune.ts';
import { searchChunks } from './search-chunks.ts';
import { migrateKnowledgeStorage } from './storage-schema.ts';
import { type ChunkVectorMetadata, chunkVectorId, RETIRED_NEVER } from './vector-ids.ts';
import { vectorStoreFor } from './vector-store-for.ts';

/**
 * One knowledge collection's index (knowledge-index.ts), named `teamId:collectionId` (client.ts): chunk rows, their
 * FTS5 keyword index and, without a Vectorize binding, their vectors, all in the object's SQLite. Keyword search is
 * here rather than in D1 (docs/knowledge.md#search): D1 is one shared writer for every team, and `wrangler d1
 * export` refuses a database holding virtual tables (workers-sdk issue 6305).
 *
 * Writes that leave the object (Vectorize) happen before the rows that record them, and every step is keyed, so a
 * call retried after a crash completes what the first attempt left half done and duplicates nothing.
 */
export class KnowledgeDO extends DurableObject<Env> implements KnowledgeIndex {
  private store: VectorStore | undefined;

  /** False after `deleteAll` until the next call: a deleted collection's object keeps no storage at all. */
  private migrated = false;

  /** The object's SQLite, its schema brought up to date on first use (storage-schema.ts). */
  private get sql(): SqlStorage {
    if (!this.migrated) {
      migrateKnowledgeStorage(this.ctx.storage.sql);
      this.migrated = true;
    }
    return this.ctx.storage.sql;
  }

  async liveChunkKeys(ref: CollectionRef, documentId: string): Promise<Set<string>> {
    this.checkRef(ref);
    return liveKeys(this.sql, documentId);
  }

  async addChunks(ref: CollectionRef, revision: number, chunks: readonly IndexedChunk[]): Promise<void> {
    this.claim(ref);
    const sql = this.sql;
    const live = new Map<string, Set<string>>();
    const fresh: { chunk: IndexedChunk; vectorId: string }[] = [];
    const seen = new Set<string>();
    for (const chunk of chunks) {
      if (chunk.vector.length !== ref.embedder.dimensions) {
        throw new RangeError(
          `chunk ${chunk.chunkKey}: ${chunk.vector.length} dimensions, not ${ref.embedder.dimensions}`,
        );
      }
      let keys = live.get(chunk.documentId);
      if (!keys) {
        keys = liveKeys(sql, chunk.documentId);
        live.set(chunk.documentId, keys);
      }
      const key = `${chunk.documentId}\u0000${chunk.chunkKey}`;
      if (keys.has(chunk.chunkKey) || seen.has(key)) continue;
      seen.add(key);
      fresh.push({
        chunk,
        vectorId: await chunkVectorId(ref.collectionId, chunk.documentId, chunk.chunkKey, revision),
      });
    }
    if (fresh.length === 0) return;
    await this.vectors(ref).upsert(
      fresh.map(({ chunk, vectorId }) => ({
        id: vectorId,
        namespace: ref.teamId,
        values: chunk.vector,
        metadata: {
          collection: ref.collectionId,
          document: chunk.documentId,
          added: revision,
          retired: RETIRED_NEVER,
        } satisfies ChunkVectorMetadata,
      })),
    );
    this.ctx.storage.transactionSync(() => {
      for (const { chunk, vectorId } of fresh) insertChunk(sql, chunk, revision, vectorId);
    });
  }

  async retireChunks(
    ref: CollectionRef,
    revision: number,
    documentId: string,
    keep: ReadonlySet<string>,
  ): Promise<number> {
    this.checkRef(ref);
    const sql = this.sql;
    const rows = chunksToRetire(sql, documentId, keep);
    if (rows.length === 0) return 0;
    // The vectors first: a retry after a crash between the two finds the rows still live and patches again.
    await this.vectors(ref).patchMetadata(
      ref.teamId,
      rows.map((row) => ({ id: row.vector_id, metadata: { retired: revision } })),
    );
    retireRows(
      sql,
      rows.map((row) => row.id),
      revision,
    );
    return rows.length;
  }

  async moveChunks(
    ref: CollectionRef,
    documentId: string,
    positions: readonly Pick<IndexedChunk, 'chunkKey' | 'ordinal' | 'context' | 'page'>[],
  ): Promise<void> {
    this.checkRef(ref);
    const sql = this.sql;
    this.ctx.storage.transactionSync(() => {
      for (const position of positions) {
        const row = sql
          .exec<{ id: number; text: string }>(
            `UPDATE chunks SET ordinal = ?, context = ?, page = ?
             WHERE document_id = ? AND chunk_key = ? AND retired_rev IS NULL RETURNING id, text`,
            position.ordinal,
            position.context,
            position.page ?? null,
            documentId,
            position.chunkKey,
          )
          .toArray()[0];
        if (row) indexText(sql, row.id, row.text, position.context);
      }
    });
  }

  async search(ref: CollectionRef, query: SearchQuery): Promise<SearchHit[]> {
    this.checkRef(ref);
    const sql = this.sql;
    const revision = query.revision ?? this.published() ?? undefined;
    const hits = await searchChunks(sql, this.vectors(ref), ref, {
      ...query,
      ...(revision !== undefined && { revision }),
    });
    return withDocumentInfo(sql, hits);
  }

  async publishRevision(ref: CollectionRef, revision: number): Promise<void> {
    this.claim(ref);
    this.sql.exec(
      `INSERT INTO meta (key, value) VALUES ('published_revision', ?)
       ON CONFLICT (key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`,
      String(revision),
    );
  }

  async publishedRevision(ref: CollectionRef): Promise<number | null> {
    this.checkRef(ref);
    return this.published();
  }

  async setDocumentInfo(ref: CollectionRef, info: DocumentInfo): Promise<void> {
    this.claim(ref);
    writeDocumentInfo(this.sql, info);
  }

  async prune(ref: CollectionRef, keepFrom: number): Promise<number> {
    this.checkRef(ref);
    return pruneRetired(this.sql, this.ctx.storage, this.vectors(ref), ref, keepFrom);
  }

  async deleteAll(ref: CollectionRef): Promise<void> {
    this.checkRef(ref);
    const store = this.vectors(ref);
    // Vectorize first (the local store's vectors are in this storage): a retry after a crash finds the rows still here.
    if (!(store instanceof LocalVectorStore)) {
      for (const ids of vectorIdPages(this.sql)) await store.deleteByIds(ref.teamId, ids);
    }
    await this.ctx.storage.deleteAll();
    // Called again (a retried delete), the object answers as a new, empty one.
    this.store = undefined;
    this.migrated = false;
  }

  async listChunks(
    ref: CollectionRef,
    documentId: string,
    page: { offset: number; limit: number },
  ): Promise<{ chunks: ChunkView[]; total: number }> {
    this.checkRef(ref);
    const sql = this.sql;
    const [count] = sql
      .exec<{ n: number }>('SELECT COUNT(*) AS n FROM chunks WHERE document_id = ?', documentId)
      .toArray();
    const rows = sql
      .exec<Parameters<typeof viewOf>[0] & Record<string, SqlStorageValue>>(
        `SELECT * FROM chunks WHERE document_id = ?
         ORDER BY retired_rev IS NOT NULL, retired_rev DESC, ordinal, id LIMIT ? OFFSET ?`,
        documentId,
        Math.max(0, Math.min(page.limit, 1000)),
        Math.max(0, page.offset),
      )
      .toArray();
    return { chunks: rows.map(viewOf), total: count?.n ?? 0 };
  }

  /** Test and bench access to the row a vector id names (rows are otherwise reached only through the index). */
  async chunkByVectorId(vectorId: string): Promise<ChunkView | null> {
    const row = rowsByVectorIds(this.sql, [vectorId]).get(vectorId);
    return row ? viewOf(row) : null;
  }

  private published(): number | null {
    const row = this.sql
      .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'published_revision'")
      .toArray()[0];
    return row ? Number(row.value) : null;
  }

  private vectors(ref: CollectionRef): VectorStore {
    this.store ??= vectorStoreFor(this.env, this.sql, ref.embedder.dimensions);
    return this.store;
  }

  /** The first write records whose collection this object is; every later call must name the same one. */
  private claim(ref: CollectionRef): void {
    if (this.storedRef()) {
      this.checkRef(ref);
      return;
    }
    this.sql.exec(
      "INSERT INTO meta (key, value) VALUES ('collection', ?)",
      JSON.stringify({ teamId: ref.teamId, collectionId: ref.collectionId, dimensions: ref.embedder.dimensions }),
    );
  }

  private storedRef(): { teamId: string; collectionId: string; dimensions: number } | undefined {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'collection'").toArray()[0];
    return row ? (JSON.parse(row.value) as { teamId: string; collectionId: string; dimensions: number }) : undefined;
  }

  /** Objects are addressed by team and collection (client.ts): a call naming others is a bug, never served. */
  private checkRef(ref: CollectionRef): void {
    const stored = this.storedRef();
    if (
      stored &&
      (stored.teamId !== ref.teamId ||
        stored.collectionId !== ref.collectionId ||
        stored.dimensions !== ref.embedder.dimensions)
    ) {
      throw new Error('knowledge object addressed by another team, collection or embedder');
    }
  }
}

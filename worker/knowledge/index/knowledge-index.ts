/**
 * What ingestion writes and retrieval reads: the index of one knowledge collection (implemented by the collection's
 * KnowledgeDO: chunk text, FTS5 keyword index and, locally, the vectors; Vectorize holds the vectors deployed).
 *
 * Versioning: a collection has a monotonically increasing `revision` (D1 `knowledge_collections.revision`). Every
 * chunk records the revision it was added in and, once replaced or deleted, the revision it was retired in. A search
 * at revision R sees the chunks with added ≤ R and (retired unset or retired > R), so a published chatbot version
 * pinned to R keeps answering from the documents it was published with; `revision` omitted means "latest".
 */
export interface EmbedderRef {
  pluginId: string;
  model: string;
  dimensions: number;
}

export interface CollectionRef {
  teamId: string;
  collectionId: string;
  embedder: EmbedderRef;
}

export interface IndexedChunk {
  documentId: string;
  /** Hex SHA-256 of the chunk's text (first 32 chars): replacing a file re-embeds only chunks whose key is new. */
  chunkKey: string;
  /** Position in the document, from 0. */
  ordinal: number;
  text: string;
  /** The heading path the chunk sits under (`Guide › Install`), kept as context for the model and the viewer. */
  context: string;
  /** 1-based page, where the format has pages (PDF). */
  page?: number;
  tokens: number;
  vector: Float32Array;
}

export interface SearchQuery {
  text: string;
  /** The query embedded with the collection's embedder (purpose `query`). */
  vector: Float32Array;
  topK: number;
  /** Candidates fetched from each of dense and keyword search before fusion (OCS: 40); ≥ topK. */
  fetchK: number;
  /** Weight of the dense ranking in Reciprocal Rank Fusion (OCS: 0.7; keyword gets 1 − it). */
  denseWeight: number;
  /** RRF's k (OCS: 60). */
  rrfK: number;
  mode: 'hybrid' | 'dense' | 'keyword';
  revision?: number;
  documentIds?: readonly string[];
}

export interface SearchHit {
  documentId: string;
  chunkKey: string;
  ordinal: number;
  text: string;
  context: string;
  page?: number;
  /** The fused RRF score (or the single ranking's score in `dense` / `keyword` mode). */
  score: number;
  dense?: { rank: number; score: number };
  keyword?: { rank: number; score: number };
  /**
   * The document's title, source page and public flag, as the KnowledgeDO's documents table knows them (the pins
   * branch fills them in). Absent: callers read them from D1 (worker/conversation/pipeline-knowledge.ts).
   */
  documentTitle?: string;
  sourceUrl?: string;
  public?: boolean;
}

export interface ChunkView {
  chunkKey: string;
  ordinal: number;
  text: string;
  context: string;
  page?: number;
  tokens: number;
  addedRevision: number;
  retiredRevision?: number;
}

export interface KnowledgeIndex {
  /** Keys of the document's live chunks: ingestion embeds only the chunks not already there. */
  liveChunkKeys(ref: CollectionRef, documentId: string): Promise<Set<string>>;
  /** Adds chunks at `revision`; idempotent by (documentId, chunkKey): a redelivered batch changes nothing. */
  addChunks(ref: CollectionRef, revision: number, chunks: readonly IndexedChunk[]): Promise<void>;
  /** Retires the document's live chunks whose key is not in `keep` (empty: the whole document); returns how many. */
  retireChunks(ref: CollectionRef, revision: number, documentId: string, keep: ReadonlySet<string>): Promise<number>;
  /** A replaced file's kept chunks may move: updates their ordinal, context and page without re-embedding. */
  moveChunks(
    ref: CollectionRef,
    documentId: string,
    positions: readonly Pick<IndexedChunk, 'chunkKey' | 'ordinal' | 'context' | 'page'>[],
  ): Promise<void>;
  search(ref: CollectionRef, query: SearchQuery): Promise<SearchHit[]>;
  listChunks(
    ref: CollectionRef,
    documentId: string,
    page: { offset: number; limit: number },
  ): Promise<{ chunks: ChunkView[]; total: number }>;
}

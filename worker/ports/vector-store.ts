/**
 * The vector store port. Two implementations pass one contract suite (worker/knowledge/index/vector-store.contract.ts):
 * Cloudflare Vectorize in production (no local simulator exists: ../shared/research/m2-architecture.md §3.1) and a
 * local store in the collection's own Durable Object's SQLite for development and tests.
 *
 * Shaped after Vectorize so the binding adapter is thin: a namespace per team, metadata filters with Vectorize's
 * operators, ids ≤ 64 bytes, topK ≤ 50 when metadata is returned (developers.cloudflare.com/vectorize/platform/limits).
 */
export type VectorMetadataValue = string | number | boolean;

/** Vectorize's filter operators (developers.cloudflare.com/vectorize/reference/metadata-filtering). */
export type VectorFilterCondition =
  | VectorMetadataValue
  | { $eq: VectorMetadataValue }
  | { $ne: VectorMetadataValue }
  | { $in: VectorMetadataValue[] }
  | { $nin: VectorMetadataValue[] }
  | { $lt?: number; $lte?: number; $gt?: number; $gte?: number };

/** Every key must match (AND), as in Vectorize. */
export type VectorFilter = Record<string, VectorFilterCondition>;

export interface VectorRecord {
  /** ≤ 64 bytes (Vectorize's id limit). */
  id: string;
  values: Float32Array;
  /** The team: isolation is by namespace first, never by a filter alone. */
  namespace: string;
  metadata: Record<string, VectorMetadataValue>;
}

export interface VectorQuery {
  namespace: string;
  topK: number;
  filter?: VectorFilter;
}

export interface VectorMatch {
  id: string;
  /** Cosine similarity, higher is closer. */
  score: number;
  metadata: Record<string, VectorMetadataValue>;
}

export interface VectorStore {
  /** Insert or replace by id. */
  upsert(records: readonly VectorRecord[]): Promise<void>;
  query(vector: Float32Array, query: VectorQuery): Promise<VectorMatch[]>;
  /** Ids that do not exist are ignored. */
  deleteByIds(namespace: string, ids: readonly string[]): Promise<void>;
}

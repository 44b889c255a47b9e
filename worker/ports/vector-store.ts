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

/**
 * Ids are unique per namespace. At most 52 bytes: Vectorize allows 64 per index, and its adapter prefixes each id
 * with a 12-byte tag of the namespace so that one team's ids can never replace or delete another's.
 */
export const MAX_VECTOR_ID_BYTES = 52;

export interface VectorRecord {
  /** ≤ MAX_VECTOR_ID_BYTES bytes. */
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
  /**
   * Merges `metadata` into each existing vector's metadata, keeping its values (retiring a chunk sets its `retired`
   * revision this way without re-embedding it). Ids that do not exist are ignored.
   */
  patchMetadata(
    namespace: string,
    patches: readonly { id: string; metadata: Record<string, VectorMetadataValue> }[],
  ): Promise<void>;
}

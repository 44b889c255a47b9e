import {
  MAX_VECTOR_ID_BYTES,
  type VectorMatch,
  type VectorMetadataValue,
  type VectorQuery,
  type VectorRecord,
  type VectorStore,
} from '../../ports/vector-store.ts';

/** What the adapter uses of a Vectorize (V2) binding: the fake in fake-vectorize.ts implements the same. */
export type VectorizeBinding = Pick<Vectorize, 'query' | 'upsert' | 'deleteByIds' | 'getByIds'>;

/** Limits from developers.cloudflare.com/vectorize/platform/limits (also ../shared/platform-notes.md). */
export const VECTORIZE_LIMITS = {
  /** Vectors per upsert call from a Worker. */
  upsertBatch: 1000,
  /** topK when values or metadata are returned (older revisions of the page: 20). */
  topKWithMetadata: 50,
  idBytes: 64,
  /** Ids per getByIds call the adapter sends (no documented cap found: kept small, as the query topK). */
  getBatch: 20,
} as const;

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

type Metadata = Record<string, VectorMetadataValue>;

/**
 * The VectorStore over a Vectorize index. Vector ids are unique per index, not per namespace, so each id is
 * prefixed with an 11-character tag of its namespace (SHA-256, base64url) and a dot: a team can never upsert over,
 * delete or read back another team's vector by guessing its id (12 + 52 = Vectorize's 64 bytes). Queries name the
 * namespace too, so matches come only from the team's own vectors.
 *
 * Deployed Vectorize applies writes asynchronously (a mutation id, seconds until queryable): a chunk just indexed
 * may be missing from dense results for a moment; keyword search in the KnowledgeDO sees it at once.
 */
export class VectorizeStore implements VectorStore {
  private readonly tags = new Map<string, Promise<string>>();

  constructor(private readonly index: VectorizeBinding) {}

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    const vectors: VectorizeVector[] = [];
    for (const record of records) {
      vectors.push({
        id: await this.tagged(record.namespace, record.id),
        values: record.values,
        namespace: record.namespace,
        metadata: record.metadata,
      });
    }
    for (let start = 0; start < vectors.length; start += VECTORIZE_LIMITS.upsertBatch) {
      await this.index.upsert(vectors.slice(start, start + VECTORIZE_LIMITS.upsertBatch));
    }
  }

  async query(vector: Float32Array, query: VectorQuery): Promise<VectorMatch[]> {
    if (query.topK <= 0) return [];
    if (query.topK > VECTORIZE_LIMITS.topKWithMetadata) {
      throw new RangeError(`Vectorize returns at most ${VECTORIZE_LIMITS.topKWithMetadata} matches with metadata`);
    }
    const tag = await this.tag(query.namespace);
    const result = await this.index.query(vector, {
      topK: query.topK,
      namespace: query.namespace,
      returnMetadata: 'all',
      ...(query.filter && { filter: query.filter }),
    });
    return result.matches
      .filter((match) => match.id.startsWith(tag))
      .map((match) => ({
        id: match.id.slice(tag.length),
        score: match.score,
        metadata: (match.metadata ?? {}) as Metadata,
      }));
  }

  async deleteByIds(namespace: string, ids: readonly string[]): Promise<void> {
    const tagged = await Promise.all(ids.map((id) => this.tagged(namespace, id)));
    for (let start = 0; start < tagged.length; start += VECTORIZE_LIMITS.upsertBatch) {
      await this.index.deleteByIds(tagged.slice(start, start + VECTORIZE_LIMITS.upsertBatch));
    }
  }

  /** Vectorize has no metadata update: read each vector back with its values and upsert it with merged metadata. */
  async patchMetadata(namespace: string, patches: readonly { id: string; metadata: Metadata }[]): Promise<void> {
    for (let start = 0; start < patches.length; start += VECTORIZE_LIMITS.getBatch) {
      const batch = patches.slice(start, start + VECTORIZE_LIMITS.getBatch);
      const ids = await Promise.all(batch.map((patch) => this.tagged(namespace, patch.id)));
      const byId = new Map(batch.map((patch, i) => [ids[i], patch.metadata]));
      const current = await this.index.getByIds(ids);
      const updated = current
        .filter((vector) => vector.namespace === namespace && byId.has(vector.id))
        .map((vector) => ({
          ...vector,
          metadata: { ...(vector.metadata ?? {}), ...byId.get(vector.id) },
        }));
      if (updated.length > 0) await this.index.upsert(updated);
    }
  }

  private async tagged(namespace: string, id: string): Promise<string> {
    if (new TextEncoder().encode(id).byteLength > MAX_VECTOR_ID_BYTES) {
      throw new RangeError(`vector id longer than ${MAX_VECTOR_ID_BYTES} bytes: ${id}`);
    }
    return `${await this.tag(namespace)}${id}`;
  }

  private tag(namespace: string): Promise<string> {
    let tag = this.tags.get(namespace);
    if (!tag) {
      tag = crypto.subtle
        .digest('SHA-256', new TextEncoder().encode(namespace))
        .then((digest) => `${base64url(new Uint8Array(digest)).slice(0, 11)}.`);
      this.tags.set(namespace, tag);
    }
    return tag;
  }
}

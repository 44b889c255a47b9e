import type { VectorFilter, VectorMetadataValue } from '../../ports/vector-store.ts';
import { dot, normalized } from './binary-quantization.ts';
import { matchesFilter } from './metadata-filter.ts';
import type { VectorizeBinding } from './vectorize-store.ts';

/**
 * An in-memory stand-in for a Vectorize (V2) index with cosine metric, for tests and the bench. Cloudflare ships no
 * local Vectorize simulator (wrangler 4.86 and miniflare 5 only proxy to the remote service, workers-sdk issue 4360;
 * ../shared/research/m2-architecture.md §3.1), so the adapter is checked against this fake, which follows the
 * documented behaviour (developers.cloudflare.com/vectorize): ids unique per index (an upsert in another namespace
 * replaces the vector), queries limited to one namespace when one is given, Vectorize's filter operators, and the
 * limits enforced by throwing — dimensions fixed at creation, ids ≤ 64 bytes, metadata ≤ 10 KiB, upsert ≤ 1,000
 * vectors, topK ≤ 50 with metadata or values and ≤ 100 without. Writes apply at once here; deployed, they are
 * queryable seconds later.
 */
interface Stored {
  id: string;
  namespace: string | undefined;
  values: Float32Array;
  metadata: Record<string, VectorMetadataValue>;
}

export class FakeVectorize implements VectorizeBinding {
  readonly vectors = new Map<string, Stored>();
  /** Every call, for tests that assert what was sent. */
  readonly calls: { method: string; size: number }[] = [];
  private mutation = 0;

  constructor(readonly dimensions: number) {}

  async upsert(vectors: VectorizeVector[]): Promise<VectorizeAsyncMutation> {
    this.calls.push({ method: 'upsert', size: vectors.length });
    if (vectors.length > 1000) throw new Error('VECTOR_UPSERT_ERROR: more than 1000 vectors in one upsert');
    for (const vector of vectors) {
      if (new TextEncoder().encode(vector.id).byteLength > 64) throw new Error(`id longer than 64 bytes: ${vector.id}`);
      if (vector.values.length !== this.dimensions) {
        throw new Error(`vector of ${vector.values.length} dimensions in an index of ${this.dimensions}`);
      }
      const metadata = (vector.metadata ?? {}) as Record<string, VectorMetadataValue>;
      if (new TextEncoder().encode(JSON.stringify(metadata)).byteLength > 10 * 1024) {
        throw new Error('metadata over 10 KiB');
      }
      this.vectors.set(vector.id, {
        id: vector.id,
        namespace: vector.namespace,
        values: Float32Array.from(vector.values),
        metadata: structuredClone(metadata),
      });
    }
    return { mutationId: `m${++this.mutation}` };
  }

  async query(vector: Float32Array | Float64Array | number[], options: VectorizeQueryOptions = {}) {
    const topK = options.topK ?? 5;
    const withData = options.returnValues === true || (options.returnMetadata ?? 'none') !== 'none';
    this.calls.push({ method: 'query', size: topK });
    if (topK > (withData ? 50 : 100)) throw new Error(`topK ${topK} over the limit`);
    const unit = normalized(Float32Array.from(vector));
    const matches = [...this.vectors.values()]
      .filter((v) => options.namespace === undefined || v.namespace === options.namespace)
      .filter((v) => matchesFilter(v.metadata, options.filter as VectorFilter | undefined))
      .map((v) => ({ stored: v, score: dot(unit, normalized(v.values)) }))
      .sort((a, b) => b.score - a.score || (a.stored.id < b.stored.id ? -1 : 1))
      .slice(0, topK)
      .map(({ stored, score }) => ({
        id: stored.id,
        score,
        ...(stored.namespace !== undefined && { namespace: stored.namespace }),
        ...(options.returnMetadata &&
          options.returnMetadata !== 'none' && { metadata: structuredClone(stored.metadata) }),
        ...(options.returnValues && { values: [...stored.values] }),
      }));
    return { matches, count: matches.length };
  }

  async deleteByIds(ids: string[]): Promise<VectorizeAsyncMutation> {
    this.calls.push({ method: 'deleteByIds', size: ids.length });
    for (const id of ids) this.vectors.delete(id);
    return { mutationId: `m${++this.mutation}` };
  }

  async getByIds(ids: string[]): Promise<VectorizeVector[]> {
    this.calls.push({ method: 'getByIds', size: ids.length });
    return ids.flatMap((id) => {
      const stored = this.vectors.get(id);
      if (!stored) return [];
      return [
        {
          id: stored.id,
          values: [...stored.values],
          ...(stored.namespace !== undefined && { namespace: stored.namespace }),
          metadata: structuredClone(stored.metadata),
        },
      ];
    });
  }
}

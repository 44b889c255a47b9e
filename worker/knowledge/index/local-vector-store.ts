import {
  MAX_VECTOR_ID_BYTES,
  type VectorFilter,
  type VectorMatch,
  type VectorMetadataValue,
  type VectorQuery,
  type VectorRecord,
  type VectorStore,
} from '../../ports/vector-store.ts';
import { BinaryIndex } from './binary-index.ts';
import { dot, normalized, signBits } from './binary-quantization.ts';
import { matchesFilter } from './metadata-filter.ts';

/**
 * The local VectorStore: vectors in a Durable Object's SQLite (sqlite-vec is not available in workerd). Exact cosine
 * search streams the float32 rows while a namespace holds at most `exactScanMax` vectors: §3.2 of
 * ../shared/research/m2-architecture.md measured 58 ms at 10,000 × 1024 and `npm run bench:knowledge` 42 ms p50 at
 * 5,000 on a loaded 2-core machine, so the crossover is 2,000 rather than §3.2's 10,000. Above that a 1-bit copy of every vector is kept in
 * memory (128 bytes per 1024 dims) and scanned by Hamming distance; the `rescore` closest candidates are read back
 * by id and ranked by their exact cosine (measured 7–14 ms for the scan at 100,000 × 1024).
 */
export const LOCAL_VECTOR_SCHEMA = `
  CREATE TABLE IF NOT EXISTS vectors (
    seq INTEGER PRIMARY KEY,
    namespace TEXT NOT NULL,
    id TEXT NOT NULL,
    metadata TEXT NOT NULL,
    -- sign bits (binary-quantization.ts), read alone to build the in-memory index without the float32 values
    bits BLOB NOT NULL,
    -- float32 little-endian, scaled to unit length
    vec BLOB NOT NULL
  );
  CREATE UNIQUE INDEX IF NOT EXISTS vectors_id ON vectors (namespace, id);`;

export interface LocalVectorStoreOptions {
  /** Exact scan up to this many vectors in a namespace (default 2,000: see above). */
  exactScanMax?: number;
  /** Candidates rescored exactly after the Hamming scan (default 200, at least 4 × topK). */
  rescore?: number;
}

const bytesOf = (array: Float32Array | Uint32Array): ArrayBuffer =>
  array.buffer.slice(array.byteOffset, array.byteOffset + array.byteLength) as ArrayBuffer;
const encoder = new TextEncoder();

export class LocalVectorStore implements VectorStore {
  private readonly exactScanMax: number;
  private readonly rescore: number;
  /** Built on the first quantized query of a namespace and kept in step by every write after it. */
  private readonly indexes = new Map<string, BinaryIndex>();

  constructor(
    private readonly sql: SqlStorage,
    options: LocalVectorStoreOptions = {},
  ) {
    this.exactScanMax = options.exactScanMax ?? 2_000;
    this.rescore = options.rescore ?? 200;
    sql.exec(LOCAL_VECTOR_SCHEMA);
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    for (const record of records) {
      if (encoder.encode(record.id).byteLength > MAX_VECTOR_ID_BYTES) {
        throw new RangeError(`vector id longer than ${MAX_VECTOR_ID_BYTES} bytes: ${record.id}`);
      }
      const unit = normalized(record.values);
      const bits = signBits(unit);
      this.sql.exec(
        `INSERT INTO vectors (namespace, id, metadata, bits, vec) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (namespace, id) DO UPDATE SET metadata = excluded.metadata, bits = excluded.bits, vec = excluded.vec`,
        record.namespace,
        record.id,
        JSON.stringify(record.metadata),
        bytesOf(bits),
        bytesOf(unit),
      );
      this.indexes.get(record.namespace)?.put(record.id, bits, record.metadata);
    }
  }

  async deleteByIds(namespace: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    this.sql.exec(
      'DELETE FROM vectors WHERE namespace = ? AND id IN (SELECT value FROM json_each(?))',
      namespace,
      JSON.stringify(ids),
    );
    const index = this.indexes.get(namespace);
    for (const id of ids) index?.remove(id);
  }

  async patchMetadata(
    namespace: string,
    patches: readonly { id: string; metadata: Record<string, VectorMetadataValue> }[],
  ): Promise<void> {
    for (const patch of patches) {
      const row = this.sql
        .exec<{ metadata: string }>('SELECT metadata FROM vectors WHERE namespace = ? AND id = ?', namespace, patch.id)
        .toArray()[0];
      if (!row) continue;
      const metadata = { ...(JSON.parse(row.metadata) as Record<string, VectorMetadataValue>), ...patch.metadata };
      this.sql.exec(
        'UPDATE vectors SET metadata = ? WHERE namespace = ? AND id = ?',
        JSON.stringify(metadata),
        namespace,
        patch.id,
      );
      this.indexes.get(namespace)?.setMetadata(patch.id, metadata);
    }
  }

  async query(vector: Float32Array, query: VectorQuery): Promise<VectorMatch[]> {
    if (query.topK <= 0) return [];
    const unit = normalized(vector);
    const loaded = this.indexes.get(query.namespace);
    if (loaded) return this.quantized(loaded, unit, query);
    const [count] = this.sql
      .exec<{ n: number }>('SELECT COUNT(*) AS n FROM vectors WHERE namespace = ?', query.namespace)
      .toArray();
    if ((count?.n ?? 0) <= this.exactScanMax) return this.exact(unit, query);
    return this.quantized(this.load(query.namespace, unit.length), unit, query);
  }

  /** Every vector of the namespace, scored exactly: exact below `exactScanMax`. */
  private exact(unit: Float32Array, query: VectorQuery): VectorMatch[] {
    const best: VectorMatch[] = [];
    const rows = this.sql.exec<{ id: string; metadata: string; vec: ArrayBuffer }>(
      'SELECT id, metadata, vec FROM vectors WHERE namespace = ?',
      query.namespace,
    );
    for (const row of rows) {
      const metadata = JSON.parse(row.metadata) as Record<string, VectorMetadataValue>;
      if (!matchesFilter(metadata, query.filter)) continue;
      keepBest(best, { id: row.id, score: dot(unit, new Float32Array(row.vec)), metadata }, query.topK);
    }
    return best;
  }

  private quantized(index: BinaryIndex, unit: Float32Array, query: VectorQuery): VectorMatch[] {
    const candidates = index.nearest(signBits(unit), Math.max(this.rescore, query.topK * 4), query.filter);
    if (candidates.length === 0) return [];
    const best: VectorMatch[] = [];
    const rows = this.sql.exec<{ id: string; vec: ArrayBuffer }>(
      'SELECT id, vec FROM vectors WHERE namespace = ? AND id IN (SELECT value FROM json_each(?))',
      query.namespace,
      JSON.stringify(candidates),
    );
    for (const row of rows) {
      const metadata = index.metadataOf(row.id);
      if (!metadata) continue;
      keepBest(best, { id: row.id, score: dot(unit, new Float32Array(row.vec)), metadata }, query.topK);
    }
    return best;
  }

  private load(namespace: string, dimensions: number): BinaryIndex {
    const index = new BinaryIndex(dimensions);
    const rows = this.sql.exec<{ id: string; metadata: string; bits: ArrayBuffer }>(
      'SELECT id, metadata, bits FROM vectors WHERE namespace = ? ORDER BY seq',
      namespace,
    );
    for (const row of rows) {
      index.put(row.id, new Uint32Array(row.bits), JSON.parse(row.metadata) as Record<string, VectorMetadataValue>);
    }
    this.indexes.set(namespace, index);
    return index;
  }
}

/** Inserts `match` into `best` (sorted by score, then id), keeping at most `limit`. */
function keepBest(best: VectorMatch[], match: VectorMatch, limit: number): void {
  const last = best[best.length - 1];
  if (best.length >= limit && last && !better(match, last)) return;
  let at = best.length;
  while (at > 0 && better(match, best[at - 1] as VectorMatch)) at--;
  best.splice(at, 0, match);
  if (best.length > limit) best.pop();
}

const better = (a: VectorMatch, b: VectorMatch) => a.score > b.score || (a.score === b.score && a.id < b.id);

export type { VectorFilter };

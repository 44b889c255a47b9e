import type { VectorFilter, VectorMetadataValue } from '../../ports/vector-store.ts';
import { hamming, wordsFor } from './binary-quantization.ts';
import { matchesFilter } from './metadata-filter.ts';

type Metadata = Record<string, VectorMetadataValue>;

/**
 * The in-memory 1-bit copy of one namespace's vectors (binary-quantization.ts): packed sign bits, one slot per
 * vector, with each vector's metadata so filters apply before the cut. A removed vector's slot is freed and reused.
 */
export class BinaryIndex {
  private readonly words: number;
  private packed: Uint32Array;
  private ids: (string | undefined)[] = [];
  private metadata: (Metadata | undefined)[] = [];
  private readonly slots = new Map<string, number>();
  private readonly free: number[] = [];
  /**
   * One copy of each metadata string (a collection id repeated on 100,000 vectors is stored once, not 100,000 times):
   * what keeps the metadata of a large namespace at a few MB beside the 12.8 MB of bits.
   */
  private readonly strings = new Map<string, string>();

  constructor(dimensions: number) {
    this.words = wordsFor(dimensions);
    this.packed = new Uint32Array(this.words * 1024);
  }

  get size(): number {
    return this.slots.size;
  }

  put(id: string, bits: Uint32Array, metadata: Metadata): void {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.ids.length;
      this.slots.set(id, slot);
    }
    if ((slot + 1) * this.words > this.packed.length) {
      const grown = new Uint32Array(Math.max(this.packed.length * 2, (slot + 1) * this.words));
      grown.set(this.packed);
      this.packed = grown;
    }
    this.packed.set(bits.subarray(0, this.words), slot * this.words);
    this.ids[slot] = id;
    this.metadata[slot] = this.interned(metadata);
  }

  private interned(metadata: Metadata): Metadata {
    const out: Metadata = {};
    for (const key in metadata) {
      const value = metadata[key];
      if (typeof value !== 'string') {
        if (value !== undefined) out[key] = value;
        continue;
      }
      let shared = this.strings.get(value);
      if (shared === undefined) {
        shared = value;
        this.strings.set(value, value);
      }
      out[key] = shared;
    }
    return out;
  }

  remove(id: string): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    this.slots.delete(id);
    this.ids[slot] = undefined;
    this.metadata[slot] = undefined;
    this.free.push(slot);
  }

  setMetadata(id: string, metadata: Metadata): void {
    const slot = this.slots.get(id);
    if (slot !== undefined) this.metadata[slot] = this.interned(metadata);
  }

  metadataOf(id: string): Metadata | undefined {
    const slot = this.slots.get(id);
    return slot === undefined ? undefined : this.metadata[slot];
  }

  /**
   * Ids of the `limit` vectors closest to `query` by Hamming distance among those passing `filter`. Selection is a
   * counting pass over the distances (0…dimensions), linear in the vectors, with no sort of the whole namespace.
   */
  nearest(query: Uint32Array, limit: number, filter: VectorFilter | undefined): string[] {
    const slots = this.ids.length;
    const distances = new Uint16Array(slots);
    const histogram = new Uint32Array(this.words * 32 + 2);
    const absent = this.words * 32 + 1;
    for (let slot = 0; slot < slots; slot++) {
      const metadata = this.metadata[slot];
      if (!metadata || (filter && !matchesFilter(metadata, filter))) {
        distances[slot] = absent;
        continue;
      }
      const distance = hamming(query, this.packed, slot, this.words);
      distances[slot] = distance;
      histogram[distance] = (histogram[distance] ?? 0) + 1;
    }
    let cutoff = 0;
    for (let taken = 0; cutoff < absent; cutoff++) {
      taken += histogram[cutoff] ?? 0;
      if (taken >= limit) break;
    }
    const picked: { id: string; distance: number }[] = [];
    for (let slot = 0; slot < slots; slot++) {
      const distance = distances[slot] ?? absent;
      const id = this.ids[slot];
      if (distance <= cutoff && distance !== absent && id !== undefined) picked.push({ id, distance });
    }
    picked.sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : 1));
    return picked.slice(0, limit).map((p) => p.id);
  }
}

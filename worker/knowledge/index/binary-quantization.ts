/**
 * 1-bit quantization for the local vector store's in-memory scan (../shared/research/m2-architecture.md §3.2): one
 * sign bit per dimension, 1024 dims = 32 words = 128 bytes per vector, so 100,000 vectors take 12.8 MB where their
 * float32 copies would take 410 MB (over a 128 MB isolate). Hamming distance between sign patterns approximates the
 * angle between vectors; the closest candidates are then rescored exactly with their float32 values.
 */
export const wordsFor = (dimensions: number) => Math.ceil(dimensions / 32);

/** The sign bits of `vector` (bit set for a positive value), packed little-end first into 32-bit words. */
export function signBits(vector: Float32Array): Uint32Array {
  const words = new Uint32Array(wordsFor(vector.length));
  for (let i = 0; i < vector.length; i++) {
    if ((vector[i] ?? 0) > 0) words[i >>> 5] = (words[i >>> 5] ?? 0) | (1 << (i & 31));
  }
  return words;
}

/** Set bits of a 32-bit word (Hacker's Delight, fig. 5-2): no loop, no table. */
export function popcount32(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Hamming distance between `query` and the vector stored at `slot` of `packed` (`words` words per vector). */
export function hamming(query: Uint32Array, packed: Uint32Array, slot: number, words: number): number {
  let distance = 0;
  const base = slot * words;
  for (let w = 0; w < words; w++) distance += popcount32(((query[w] ?? 0) ^ (packed[base + w] ?? 0)) >>> 0);
  return distance;
}

/** `vector` scaled to unit length (a zero vector stays zero): cosine similarity becomes a dot product. */
export function normalized(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  const out = new Float32Array(vector.length);
  if (norm === 0) return out;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) out[i] = (vector[i] ?? 0) * scale;
  return out;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

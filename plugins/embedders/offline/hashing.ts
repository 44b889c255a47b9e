/**
 * Signed feature hashing (Weinberger et al. 2009): the offline embedder's whole model. Features are NFKD-folded,
 * lowercased word unigrams and bigrams plus character trigrams of each word; each is hashed with 32-bit FNV-1a into
 * one of `dimensions` buckets, with the sign taken from a hash bit, and the vector is L2-normalised so a dot product
 * is a cosine. Deterministic and dependency-free; lexical, not semantic: "car" and "automobile" share nothing.
 */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv1a(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** Lowercased words with diacritics removed ("Café" → "cafe"), in any script (Unicode letters and digits). */
export function words(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}

function features(text: string): string[] {
  const tokens = words(text);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i] as string;
    out.push(`w:${word}`);
    if (i > 0) out.push(`b:${tokens[i - 1]} ${word}`);
    const padded = `^${word}$`;
    for (let j = 0; j + 3 <= padded.length; j++) out.push(`c:${padded.slice(j, j + 3)}`);
  }
  return out;
}

export function hashEmbed(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  for (const feature of features(text)) {
    const hash = fnv1a(feature);
    // Words weigh more than their trigrams so whole-word matches dominate near-misses.
    const weight = feature.startsWith('c:') ? 0.5 : 1;
    vector[hash % dimensions] = (vector[hash % dimensions] ?? 0) + (hash & 0x80000000 ? -weight : weight);
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < dimensions; i++) vector[i] = (vector[i] ?? 0) * scale;
  }
  return vector;
}

/**
 * Deterministic stand-in embeddings for the fake embedding APIs (each embedder's fake/server.ts, in Node) and the
 * recorded-shape Workers AI binding (in workerd): a unit vector drawn from a PRNG seeded by the model, the size and
 * the text, so the same input always gets the same vector and different inputs (or task types) get different ones.
 * Not a model: similarity between them means nothing.
 */
export function fakeVector(seedText: string, dimensions: number): number[] {
  let seed = 0x811c9dc5;
  for (let i = 0; i < seedText.length; i++) seed = Math.imul(seed ^ seedText.charCodeAt(i), 0x01000193) >>> 0;
  // xorshift32 (Marsaglia 2003); a zero seed would stay zero forever.
  let state = seed || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000 - 0.5;
  };
  const values = Array.from({ length: dimensions }, next);
  const norm = Math.sqrt(values.reduce((sum, value) => sum + value * value, 0)) || 1;
  // Rounded through float32, as the APIs' vectors are, so a base64 round trip gives the same numbers back.
  return values.map((value) => Math.fround(value / norm));
}

/** Whitespace-separated words: the fakes' stand-in token count (real tokenizers count more). */
export const fakeTokens = (text: string): number => text.split(/\s+/).filter(Boolean).length;

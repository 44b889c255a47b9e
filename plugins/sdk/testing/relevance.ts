/**
 * A stand-in relevance score for re-ranker fakes (Workers AI's binding, Cohere's API): the share of the query's
 * distinct words that occur in the passage, squashed into (0, 1) like a cross-encoder's sigmoid. Deterministic and
 * lexical, so a fixture has one right order; it models the wire format, not the model's judgement.
 */
const WORD = /[\p{L}\p{N}]+/gu;

function wordSet(text: string): Set<string> {
  return new Set([...text.toLowerCase().matchAll(WORD)].map(([word]) => word));
}

export function fakeRelevance(query: string, passage: string): number {
  const asked = wordSet(query);
  if (asked.size === 0) return 0;
  const present = wordSet(passage);
  let shared = 0;
  for (const word of asked) if (present.has(word)) shared++;
  const logit = 8 * (shared / asked.size) - 4;
  return Math.round((1 / (1 + Math.exp(-logit))) * 1e6) / 1e6;
}

/** Indexes of `passages` by fakeRelevance, best first; ties in input order. */
export function fakeRanking(query: string, passages: readonly string[]): { index: number; score: number }[] {
  return passages
    .map((passage, index) => ({ index, score: fakeRelevance(query, passage) }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
}

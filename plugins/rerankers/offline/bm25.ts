import type { RerankedDocument } from '../../sdk/index.ts';
import { words } from './tokens.ts';

/** Okapi BM25's usual constants (Robertson & Zaragoza, "The Probabilistic Relevance Framework", 2009, §3.4). */
const K1 = 1.2;
const B = 0.75;
/** As knowledge keyword search (worker/knowledge/index/fts-query.ts MAX_QUERY_TOKENS): a pasted page stays bounded. */
const MAX_QUERY_WORDS = 32;

/**
 * Scores every document against the query's distinct words with BM25, the statistics taken over the documents of
 * this call (the candidates are all the re-ranker sees, so scores compare within one call only). Each document is
 * read up to `maxWords` words: a longer one is truncated, which bounds the CPU a call can cost. Ties keep input order.
 */
export function bm25Rank(query: string, documents: readonly string[], maxWords: number): RerankedDocument[] {
  const asked = new Set(words(query, MAX_QUERY_WORDS));
  const terms = [...asked];
  // Only the query's words are counted (BM25 needs no other frequency, only the length): a third of the CPU.
  const counted = documents.map((document) => {
    const frequencies = new Map<string, number>();
    const tokens = words(document, maxWords);
    for (const token of tokens) if (asked.has(token)) frequencies.set(token, (frequencies.get(token) ?? 0) + 1);
    return { frequencies, length: tokens.length };
  });
  const total = counted.length;
  const averageLength = counted.reduce((sum, doc) => sum + doc.length, 0) / Math.max(1, total) || 1;
  const idf = new Map(
    terms.map((term) => {
      const containing = counted.filter((doc) => doc.frequencies.has(term)).length;
      // The "+1" form of IDF (Lucene's BM25Similarity): never negative for a term in most documents.
      return [term, Math.log(1 + (total - containing + 0.5) / (containing + 0.5))] as const;
    }),
  );
  const scored = counted.map(({ frequencies, length }, index) => {
    let score = 0;
    for (const term of terms) {
      const tf = frequencies.get(term) ?? 0;
      if (tf === 0) continue;
      score += (idf.get(term) ?? 0) * ((tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / averageLength)));
    }
    return { index, score };
  });
  return scored.sort((a, b) => b.score - a.score || a.index - b.index);
}

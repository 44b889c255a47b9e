/**
 * Reciprocal Rank Fusion (Cormack, Clarke & Büttcher, SIGIR 2009), as Open Chat Studio fuses dense and lexical
 * results (`apps/documents/retrieval.py`): score = Σᵢ wᵢ / (k + rankᵢ), ranks from 1. Ranks are fused, not scores,
 * so a cosine similarity and a bm25 value never need a common scale.
 */
export interface Ranking {
  /** The ranking's weight (OCS: dense 0.7, keyword 0.3). */
  weight: number;
  /** Ids best first; an id listed twice counts at its first (best) place. */
  ids: readonly string[];
}

export interface FusedItem {
  id: string;
  score: number;
  /** 1-based rank of the id in each ranking, in the order the rankings were given; undefined where absent. */
  ranks: (number | undefined)[];
}

/**
 * Fuses rankings into one, best first. Ties break deterministically: the better best rank first, then the id
 * (so the same inputs always give the same order, whatever order a Map iterates in).
 */
export function reciprocalRankFusion(rankings: readonly Ranking[], k: number): FusedItem[] {
  if (!(k >= 0) || !Number.isFinite(k)) throw new RangeError(`RRF k must be a finite number ≥ 0, not ${k}`);
  const fused = new Map<string, FusedItem>();
  rankings.forEach((ranking, which) => {
    ranking.ids.forEach((id, index) => {
      let item = fused.get(id);
      if (!item) {
        item = { id, score: 0, ranks: rankings.map(() => undefined) };
        fused.set(id, item);
      }
      if (item.ranks[which] !== undefined) return;
      const rank = index + 1;
      item.ranks[which] = rank;
      item.score += ranking.weight / (k + rank);
    });
  });
  const bestRank = (item: FusedItem) => Math.min(...item.ranks.map((r) => r ?? Number.POSITIVE_INFINITY));
  return [...fused.values()].sort(
    (a, b) => b.score - a.score || bestRank(a) - bestRank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

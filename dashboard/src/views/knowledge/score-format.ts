/**
 * A search score as the query preview prints it. The three scores differ in scale (cosine similarity ≤ 1, −bm25 of
 * any size, an RRF sum ≈ 0.01), so small ones keep three significant digits and large ones two decimals.
 */
export function formatScore(score: number): string {
  return Math.abs(score) >= 1 ? score.toFixed(2) : score.toPrecision(3);
}

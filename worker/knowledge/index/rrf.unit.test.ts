import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from './rrf.ts';

describe('reciprocalRankFusion', () => {
  it('scores Σ w / (k + rank) with ranks from 1 and records each rank', () => {
    const fused = reciprocalRankFusion(
      [
        { weight: 0.7, ids: ['a', 'b', 'c'] },
        { weight: 0.3, ids: ['c', 'a'] },
      ],
      60,
    );
    expect(fused.map((f) => f.id)).toEqual(['a', 'c', 'b']);
    expect(fused[0]).toEqual({ id: 'a', score: 0.7 / 61 + 0.3 / 62, ranks: [1, 2] });
    expect(fused[1]).toEqual({ id: 'c', score: 0.7 / 63 + 0.3 / 61, ranks: [3, 1] });
    expect(fused[2]).toEqual({ id: 'b', score: 0.7 / 62, ranks: [2, undefined] });
  });

  it('lets the weights decide between a top dense and a top keyword result', () => {
    const rankings = (dense: number) => [
      { weight: dense, ids: ['d', 'k'] },
      { weight: 1 - dense, ids: ['k', 'd'] },
    ];
    expect(reciprocalRankFusion(rankings(0.7), 60).map((f) => f.id)).toEqual(['d', 'k']);
    expect(reciprocalRankFusion(rankings(0.3), 60).map((f) => f.id)).toEqual(['k', 'd']);
    expect(reciprocalRankFusion(rankings(1), 60).map((f) => f.id)).toEqual(['d', 'k']);
  });

  it('k flattens or sharpens the rank curve', () => {
    // One list: a at 1 only; the other: b at 2 and c at 1… with k = 0, rank 1 is worth twice rank 2.
    const rankings = [
      { weight: 0.5, ids: ['a', 'b'] },
      { weight: 0.5, ids: ['c', 'b'] },
    ];
    // k = 0: a = c = 0.5, b = 0.25 + 0.25 = 0.5, a three-way tie broken by best rank then id.
    expect(reciprocalRankFusion(rankings, 0).map((f) => f.id)).toEqual(['a', 'c', 'b']);
    // k = 60: being on both lists wins (b = 1/62 > a = 0.5/61).
    expect(reciprocalRankFusion(rankings, 60).map((f) => f.id)).toEqual(['b', 'a', 'c']);
  });

  it('breaks ties deterministically, whatever the input order', () => {
    const one = reciprocalRankFusion(
      [
        { weight: 1, ids: ['x'] },
        { weight: 1, ids: ['y'] },
      ],
      60,
    );
    const other = reciprocalRankFusion(
      [
        { weight: 1, ids: ['y'] },
        { weight: 1, ids: ['x'] },
      ],
      60,
    );
    expect(one.map((f) => f.id)).toEqual(['x', 'y']);
    expect(other.map((f) => f.id)).toEqual(['x', 'y']);
  });

  it('counts an id listed twice at its best place, handles empty rankings and refuses a bad k', () => {
    const fused = reciprocalRankFusion([{ weight: 1, ids: ['a', 'a', 'b'] }], 60);
    expect(fused).toEqual([
      { id: 'a', score: 1 / 61, ranks: [1] },
      { id: 'b', score: 1 / 63, ranks: [3] },
    ]);
    expect(reciprocalRankFusion([{ weight: 1, ids: [] }], 60)).toEqual([]);
    expect(() => reciprocalRankFusion([], -1)).toThrow(RangeError);
    expect(() => reciprocalRankFusion([], Number.NaN)).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import type { RetrievedChunk } from '../../plugins/sdk/node/services.ts';
import { citedNumbers, replyCitations } from './pipeline-citations.ts';
import type { CitableChunk } from './pipeline-knowledge.ts';

const chunk = (n: number, extra: Partial<RetrievedChunk> = {}): RetrievedChunk => ({
  n,
  collectionId: 'kcol_a',
  documentId: `kdoc_${n}`,
  documentTitle: `Doc ${n}`,
  chunkKey: `key${n}`,
  ordinal: n,
  text: `text ${n} `.repeat(50),
  context: '',
  score: 1,
  ...extra,
});

const retrieved = new Map<number, CitableChunk>([
  [1, { chunk: chunk(1, { page: 2 }), url: 'https://example.com/1' }],
  [2, { chunk: chunk(2) }],
  [3, { chunk: chunk(3) }],
]);

describe('reply citations', () => {
  it('reads [n], [n, m] and [n][m] markers in order of first appearance', () => {
    expect(citedNumbers('See [3] and [1, 2]; again [3][2].')).toEqual([3, 1, 2]);
    expect(citedNumbers('no markers, [a], [ 1 ]')).toEqual([]);
  });

  it('cites the marked chunks of this run, ignoring numbers the run never handed out', () => {
    const citations = replyCitations('Reset it [1]. Also [9].', retrieved, undefined);
    expect(citations).toEqual([
      {
        n: 1,
        collectionId: 'kcol_a',
        documentId: 'kdoc_1',
        title: 'Doc 1',
        chunkKey: 'key1',
        ordinal: 1,
        page: 2,
        url: 'https://example.com/1',
        snippet: chunk(1).text.slice(0, 200),
      },
    ]);
  });

  it('falls back to the sources the answer was given, only those this run retrieved', () => {
    const given = [chunk(2), chunk(3), chunk(2), chunk(3, { chunkKey: 'forged' }), chunk(7)];
    expect(replyCitations('No numbers here.', retrieved, given).map((c) => c.n)).toEqual([2, 3]);
    const foreign = [chunk(3, { chunkKey: 'forged' }), chunk(1, { collectionId: 'kcol_b' }), chunk(7)];
    expect(replyCitations('No numbers here.', retrieved, foreign)).toEqual([]);
    // Markers win over the sources.
    expect(replyCitations('Only [3].', retrieved, [chunk(2)]).map((c) => c.n)).toEqual([3]);
  });

  it('cites nothing in a run that retrieved nothing', () => {
    expect(replyCitations('[1]', new Map(), [chunk(1)])).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { chunkFilter, MAX_FILTER_BYTES } from './vector-ids.ts';

const ref = {
  teamId: 'team_1',
  collectionId: 'kcol_01hzx3k9q0abcdefghjkmnpqrs',
  embedder: { pluginId: 'offline-embedder', model: 'hash-1024', dimensions: 1024 },
};
const ids = (n: number) =>
  Array.from({ length: n }, (_, i) => `kdoc_01hzx3k9q0abcdefghjkm${String(i).padStart(5, '0')}`);

describe('the dense search filter', () => {
  it('names the collection, the revision window and the documents, under Vectorize’s 2,048-byte filter limit', () => {
    expect(chunkFilter(ref, 3, ids(2))).toEqual({
      collection: ref.collectionId,
      added: { $lte: 3 },
      retired: { $gt: 3 },
      document: { $in: ids(2) },
    });
    const fits = chunkFilter(ref, 3, ids(40));
    expect(fits.document).toEqual({ $in: ids(40) });
    expect(new TextEncoder().encode(JSON.stringify(fits)).byteLength).toBeLessThan(MAX_FILTER_BYTES);
  });

  it('leaves a document list too long for Vectorize out of its filter (the object re-checks every match)', () => {
    const filter = chunkFilter(ref, undefined, ids(100));
    expect(filter).toEqual({ collection: ref.collectionId, retired: 2_147_483_647 });
  });
});

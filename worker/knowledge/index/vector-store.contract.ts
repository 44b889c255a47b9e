import { describe, expect, it } from 'vitest';
import type { VectorRecord, VectorStore } from '../../ports/vector-store.ts';

/**
 * The contract every VectorStore passes (worker/ports/vector-store.ts): the local store (in a KnowledgeDO's SQLite,
 * exact and quantized) and the Vectorize adapter over FakeVectorize — Cloudflare has no local Vectorize simulator
 * (../shared/research/m2-architecture.md §3.1), so the fake follows Vectorize's documented behaviour instead.
 * `open` gives an empty store each time.
 */
export function vectorStoreContract(name: string, open: () => Promise<VectorStore>, dimensions = 8): void {
  const vec = (...entries: [number, number][]) => {
    const v = new Float32Array(dimensions);
    for (const [at, value] of entries) v[at] = value;
    return v;
  };
  const record = (id: string, values: Float32Array, metadata: VectorRecord['metadata'] = {}, namespace = 'team_a') => ({
    id,
    values,
    namespace,
    metadata,
  });
  const ids = (matches: { id: string }[]) => matches.map((m) => m.id);

  describe(`VectorStore contract: ${name}`, () => {
    it('returns the topK closest by cosine, best first, with scores and metadata', async () => {
      const store = await open();
      await store.upsert([
        record('far', vec([3, 1])),
        record('near', vec([0, 1], [1, 0.1]), { doc: 'd1' }),
        record('nearer', vec([0, 1], [1, 0.05])),
        record('middle', vec([0, 1], [1, 1])),
        // Nearly `middle`'s direction at 50 times its length: cosine ignores length.
        record('long', vec([0, 50], [1, 50], [2, 5])),
      ]);
      const matches = await store.query(vec([0, 1]), { namespace: 'team_a', topK: 3 });
      expect(ids(matches)).toEqual(['nearer', 'near', 'middle']);
      expect(matches[1]?.score).toBeCloseTo(1 / Math.sqrt(1.01), 5);
      expect(matches[2]?.score).toBeCloseTo(1 / Math.sqrt(2), 5);
      const four = await store.query(vec([0, 1]), { namespace: 'team_a', topK: 5 });
      expect(ids(four)).toEqual(['nearer', 'near', 'middle', 'long', 'far']);
      expect(four[3]?.score).toBeCloseTo(50 / Math.sqrt(5025), 5);
      expect(four[4]?.score).toBeCloseTo(0, 5);
      expect(matches[1]?.metadata).toEqual({ doc: 'd1' });
      expect(await store.query(vec([0, 1]), { namespace: 'team_a', topK: 0 })).toEqual([]);
    });

    it('filters with Vectorize’s operators, every key ANDed', async () => {
      const store = await open();
      await store.upsert([
        record('a', vec([0, 1]), { collection: 'c1', document: 'd1', added: 1, retired: 9 }),
        record('b', vec([0, 1], [1, 0.2]), { collection: 'c1', document: 'd2', added: 2, retired: 3 }),
        record('c', vec([0, 1], [1, 0.4]), { collection: 'c2', document: 'd1', added: 3, retired: 9 }),
        record('d', vec([0, 1], [1, 0.6]), { collection: 'c1', document: 'd3', added: 4, retired: 9, flag: true }),
      ]);
      const q = async (filter: Parameters<VectorStore['query']>[1]['filter']) =>
        ids(await store.query(vec([0, 1]), { namespace: 'team_a', topK: 10, filter }));
      expect(await q({ collection: 'c1' })).toEqual(['a', 'b', 'd']);
      expect(await q({ collection: { $eq: 'c2' } })).toEqual(['c']);
      expect(await q({ collection: { $ne: 'c1' } })).toEqual(['c']);
      expect(await q({ document: { $in: ['d2', 'd3'] } })).toEqual(['b', 'd']);
      expect(await q({ document: { $nin: ['d1'] } })).toEqual(['b', 'd']);
      expect(await q({ added: { $lte: 2 } })).toEqual(['a', 'b']);
      expect(await q({ added: { $lt: 2 } })).toEqual(['a']);
      expect(await q({ added: { $gte: 3 }, retired: { $gt: 3 } })).toEqual(['c', 'd']);
      expect(await q({ added: { $gt: 1, $lt: 4 } })).toEqual(['b', 'c']);
      // The revision window a pinned search uses: added ≤ 3 and retired > 3.
      expect(await q({ collection: 'c1', added: { $lte: 3 }, retired: { $gt: 3 } })).toEqual(['a']);
      expect(await q({ flag: true })).toEqual(['d']);
      expect(await q({ collection: 'c1', document: 'd9' })).toEqual([]);
      expect(await q({ document: { $in: [] } })).toEqual([]);
    });

    it('keeps namespaces apart: queries, deletes and patches never cross them', async () => {
      const store = await open();
      await store.upsert([record('same', vec([0, 1]), { owner: 'a' }, 'team_a')]);
      await store.upsert([
        record('same', vec([1, 1]), { owner: 'b' }, 'team_b'),
        record('only-b', vec([0, 1]), {}, 'team_b'),
      ]);
      const inA = await store.query(vec([0, 1]), { namespace: 'team_a', topK: 10 });
      expect(inA.map((m) => [m.id, m.metadata.owner])).toEqual([['same', 'a']]);
      expect(inA[0]?.score).toBeCloseTo(1, 5);
      await store.deleteByIds('team_a', ['only-b']);
      await store.patchMetadata('team_a', [{ id: 'only-b', metadata: { owner: 'a' } }]);
      const inB = await store.query(vec([0, 1]), { namespace: 'team_b', topK: 10 });
      expect(inB.map((m) => [m.id, m.metadata.owner])).toEqual([
        ['only-b', undefined],
        ['same', 'b'],
      ]);
      expect(await store.query(vec([0, 1]), { namespace: 'team_c', topK: 10 })).toEqual([]);
    });

    it('deletes by id, ignoring ids it does not have', async () => {
      const store = await open();
      await store.upsert([record('a', vec([0, 1])), record('b', vec([0, 1], [1, 1]))]);
      await store.deleteByIds('team_a', ['a', 'missing']);
      await store.deleteByIds('team_a', []);
      expect(ids(await store.query(vec([0, 1]), { namespace: 'team_a', topK: 10 }))).toEqual(['b']);
    });

    it('replaces a vector on upsert: new values and new metadata, still one vector', async () => {
      const store = await open();
      await store.upsert([record('a', vec([0, 1]), { v: 1, old: 'x' }), record('b', vec([0, 1], [1, 1]))]);
      await store.upsert([record('a', vec([2, 1]), { v: 2 })]);
      const matches = await store.query(vec([0, 1]), { namespace: 'team_a', topK: 10 });
      expect(ids(matches)).toEqual(['b', 'a']);
      expect(matches[1]?.metadata).toEqual({ v: 2 });
      expect(matches[1]?.score).toBeCloseTo(0, 5);
    });

    it('patches metadata in place, keeping the values and the other keys', async () => {
      const store = await open();
      await store.upsert([record('a', vec([0, 1]), { collection: 'c1', retired: 9 })]);
      await store.patchMetadata('team_a', [
        { id: 'a', metadata: { retired: 2 } },
        { id: 'missing', metadata: { retired: 2 } },
      ]);
      const [match] = await store.query(vec([0, 1]), { namespace: 'team_a', topK: 1, filter: { retired: 2 } });
      expect(match).toMatchObject({ id: 'a', metadata: { collection: 'c1', retired: 2 } });
      expect(match?.score).toBeCloseTo(1, 5);
      expect(await store.query(vec([0, 1]), { namespace: 'team_a', topK: 1, filter: { retired: 9 } })).toEqual([]);
    });

    it('refuses an id over 52 bytes', async () => {
      const store = await open();
      await expect(store.upsert([record('x'.repeat(53), vec([0, 1]))])).rejects.toThrow(/52 bytes/);
    });
  });
}

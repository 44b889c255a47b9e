import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { VectorStore } from '../../ports/vector-store.ts';
import { LocalVectorStore, type LocalVectorStoreOptions } from './local-vector-store.ts';
import { vectorStoreContract } from './vector-store.contract.ts';

/** One store per object, kept across calls (its in-memory index too), each call run inside that object. */
const stores = new Map<string, LocalVectorStore>();

function openLocal(options: LocalVectorStoreOptions): () => Promise<VectorStore> {
  return async () => {
    const stub = env.KNOWLEDGE.get(env.KNOWLEDGE.idFromName(`contract:${crypto.randomUUID()}`));
    const name = crypto.randomUUID();
    const run = <T>(call: (store: LocalVectorStore) => Promise<T>) =>
      runInDurableObject(stub, (_instance, state) => {
        let store = stores.get(name);
        if (!store) {
          store = new LocalVectorStore(state.storage.sql, options);
          stores.set(name, store);
        }
        return call(store);
      });
    return {
      upsert: (records) => run((s) => s.upsert(records)),
      query: (vector, query) => run((s) => s.query(vector, query)),
      deleteByIds: (namespace, ids) => run((s) => s.deleteByIds(namespace, ids)),
      patchMetadata: (namespace, patches) => run((s) => s.patchMetadata(namespace, patches)),
    };
  };
}

vectorStoreContract('local store, exact scan', openLocal({}));
// exactScanMax 0: every query goes through the 1-bit in-memory index and the float32 rescoring.
vectorStoreContract('local store, quantized scan with rescoring', openLocal({ exactScanMax: 0 }));

/** A seeded generator (mulberry32), so the recall figure below is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('local store: quantized scan', () => {
  it('finds what the exact scan finds (recall@10 ≥ 0.9 over 3,000 clustered vectors of 256 dims)', async () => {
    const next = random(7);
    const dims = 256;
    const centres = Array.from({ length: 30 }, () => Float32Array.from({ length: dims }, () => next() * 2 - 1));
    const around = (centre: Float32Array, spread: number) =>
      Float32Array.from(centre, (value) => value + (next() * 2 - 1) * spread);
    const records = Array.from({ length: 3000 }, (_, i) => ({
      id: `v${i}`,
      values: around(centres[i % centres.length] as Float32Array, 0.8),
      namespace: 'team_a',
      metadata: { even: i % 2 === 0 },
    }));
    const exact = await openLocal({})();
    const quantized = await openLocal({ exactScanMax: 0 })();
    for (let start = 0; start < records.length; start += 500) {
      await exact.upsert(records.slice(start, start + 500));
      await quantized.upsert(records.slice(start, start + 500));
    }
    let found = 0;
    const queries = 20;
    for (let q = 0; q < queries; q++) {
      const vector = around(centres[q] as Float32Array, 0.8);
      const filter = q % 2 === 0 ? { even: true } : undefined;
      const want = await exact.query(vector, { namespace: 'team_a', topK: 10, filter });
      const got = await quantized.query(vector, { namespace: 'team_a', topK: 10, filter });
      const wanted = new Set(want.map((m) => m.id));
      found += got.filter((m) => wanted.has(m.id)).length;
      // Rescored matches carry exact cosines, so whatever both found has the same score.
      for (const match of got) {
        const same = want.find((m) => m.id === match.id);
        if (same) expect(match.score).toBeCloseTo(same.score, 5);
        if (filter) expect(match.metadata.even).toBe(true);
      }
    }
    expect(found / (queries * 10)).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps the loaded in-memory index in step with later upserts, deletes and patches', async () => {
    const store = await openLocal({ exactScanMax: 0 })();
    const v = (...values: number[]) => Float32Array.from({ length: 8 }, (_, i) => values[i] ?? 0);
    await store.upsert([{ id: 'a', values: v(1), namespace: 'n', metadata: { k: 1 } }]);
    expect((await store.query(v(1), { namespace: 'n', topK: 5 })).map((m) => m.id)).toEqual(['a']);
    await store.upsert([{ id: 'b', values: v(1, 0.1), namespace: 'n', metadata: { k: 1 } }]);
    await store.deleteByIds('n', ['a']);
    await store.patchMetadata('n', [{ id: 'b', metadata: { k: 2 } }]);
    await store.upsert([{ id: 'c', values: v(0, 1), namespace: 'n', metadata: { k: 2 } }]);
    const matches = await store.query(v(1), { namespace: 'n', topK: 5, filter: { k: 2 } });
    expect(matches.map((m) => m.id)).toEqual(['b', 'c']);
  });
});

import { describe, expect, it } from 'vitest';
import { FakeVectorize } from './fake-vectorize.ts';
import { vectorStoreContract } from './vector-store.contract.ts';
import { VectorizeStore } from './vectorize-store.ts';

vectorStoreContract('Vectorize adapter over FakeVectorize', async () => new VectorizeStore(new FakeVectorize(8)));

describe('VectorizeStore: what it sends to Vectorize', () => {
  const vector = (i: number) => Float32Array.from({ length: 8 }, (_, d) => (d === i % 8 ? 1 : 0.01));

  it('upserts in batches of at most 1,000 and tags every id with its namespace within 64 bytes', async () => {
    const index = new FakeVectorize(8);
    const store = new VectorizeStore(index);
    const records = Array.from({ length: 2500 }, (_, i) => ({
      id: `${'c'.repeat(44)}.${String(i).padStart(7, '0')}`,
      values: vector(i),
      namespace: 'team_a',
      metadata: {},
    }));
    await store.upsert(records);
    expect(index.calls.filter((c) => c.method === 'upsert').map((c) => c.size)).toEqual([1000, 1000, 500]);
    const stored = [...index.vectors.keys()];
    expect(stored).toHaveLength(2500);
    expect(stored.every((id) => new TextEncoder().encode(id).byteLength <= 64)).toBe(true);
    expect(new Set(stored.map((id) => id.slice(0, 12))).size).toBe(1);
  });

  it('refuses topK over 50 (Vectorize’s limit with metadata) instead of silently returning fewer', async () => {
    const store = new VectorizeStore(new FakeVectorize(8));
    await expect(store.query(vector(0), { namespace: 'team_a', topK: 51 })).rejects.toThrow(/at most 50/);
    await expect(store.query(vector(0), { namespace: 'team_a', topK: 50 })).resolves.toEqual([]);
  });

  it('never returns a vector written under another namespace’s tag, even with the same namespace field', async () => {
    const index = new FakeVectorize(8);
    const store = new VectorizeStore(index);
    // A raw vector someone wrote into team_a's namespace without the adapter: not one of the adapter's ids.
    await index.upsert([{ id: 'raw', values: vector(0), namespace: 'team_a', metadata: {} }]);
    await store.upsert([{ id: 'mine', values: vector(0), namespace: 'team_a', metadata: {} }]);
    const matches = await store.query(vector(0), { namespace: 'team_a', topK: 10 });
    expect(matches.map((m) => m.id)).toEqual(['mine']);
  });
});

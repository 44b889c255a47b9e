import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { knowledgeIndex } from './client.ts';
import { FakeVectorize } from './fake-vectorize.ts';
import type { KnowledgeDO } from './knowledge-do.ts';
import type { CollectionRef, IndexedChunk, SearchQuery } from './knowledge-index.ts';
import { VectorizeStore } from './vectorize-store.ts';

const DIMS = 8;
const index = knowledgeIndex(env);

function collection(): CollectionRef {
  return {
    teamId: `team_${crypto.randomUUID()}`,
    collectionId: `kcol_${crypto.randomUUID().slice(0, 8)}`,
    embedder: { pluginId: 'offline', model: 'hash-8', dimensions: DIMS },
  };
}

const stubOf = (ref: CollectionRef) =>
  env.KNOWLEDGE.get(env.KNOWLEDGE.idFromName(`${ref.teamId}:${ref.collectionId}`)) as DurableObjectStub<KnowledgeDO>;

function axis(at: number): Float32Array {
  const v = new Float32Array(DIMS);
  v[at] = 1;
  return v;
}

const chunk = (documentId: string, key: string, text: string, at: number): IndexedChunk => ({
  documentId,
  chunkKey: key,
  ordinal: at,
  text,
  context: '',
  tokens: 2,
  vector: axis(at),
});

const query = (over: Partial<SearchQuery>): SearchQuery => ({
  text: '',
  vector: axis(0),
  topK: 10,
  fetchK: 40,
  denseWeight: 0.7,
  rrfK: 60,
  mode: 'hybrid',
  ...over,
});

const keys = (hits: { chunkKey: string }[]) => hits.map((h) => h.chunkKey).sort();

/** Row counts of the object's own tables, read inside it. */
const counts = (ref: CollectionRef) =>
  runInDurableObject(stubOf(ref), (_instance, state) => {
    const n = (table: string) => state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).one().n;
    return { chunks: n('chunks'), vectors: n('vectors'), documents: n('documents') };
  });

/** Revision 1: doc1 = a, b. Revision 2 (a re-index of doc1): b replaced by c. */
async function reindexed(ref: CollectionRef) {
  await index.addChunks(ref, 1, [chunk('doc1', 'a', 'alpha words', 0), chunk('doc1', 'b', 'bravo words', 1)]);
  await index.publishRevision(ref, 1);
  await index.addChunks(ref, 2, [chunk('doc1', 'c', 'charlie words', 2)]);
  await index.retireChunks(ref, 2, 'doc1', new Set(['a', 'c']));
}

describe('KnowledgeDO: the published revision', () => {
  it('searches without a revision see the published one, never a change still ingesting; it never moves back', async () => {
    const ref = collection();
    expect(await index.publishedRevision(ref)).toBeNull();
    await reindexed(ref);
    // Revision 2 is written but not published: an unpinned search still sees revision 1.
    expect(keys(await index.search(ref, query({ text: 'words' })))).toEqual(['a', 'b']);
    await index.publishRevision(ref, 2);
    expect(keys(await index.search(ref, query({ text: 'words' })))).toEqual(['a', 'c']);
    await index.publishRevision(ref, 1);
    expect(await index.publishedRevision(ref)).toBe(2);
    // A version pinned to revision 1 keeps answering from the chunks it was published with.
    expect(keys(await index.search(ref, query({ text: 'words', revision: 1 })))).toEqual(['a', 'b']);
    expect(keys(await index.search(ref, query({ text: 'bravo', revision: 1, mode: 'keyword' })))).toEqual(['b']);
  });
});

describe('KnowledgeDO: document info', () => {
  it('hits carry the title, source URL and public flag of their document; unknown documents carry none', async () => {
    const ref = collection();
    await index.addChunks(ref, 1, [chunk('doc1', 'a', 'alpha', 0), chunk('doc2', 'b', 'alpha beta', 1)]);
    await index.setDocumentInfo(ref, {
      documentId: 'doc1',
      title: 'Handbook',
      sourceUrl: 'https://example.com/h',
      public: true,
    });
    const hits = await index.search(ref, query({ text: 'alpha' }));
    const byDoc = new Map(hits.map((hit) => [hit.documentId, hit]));
    expect(byDoc.get('doc1')).toMatchObject({
      documentTitle: 'Handbook',
      sourceUrl: 'https://example.com/h',
      public: true,
    });
    expect(byDoc.get('doc2')).not.toHaveProperty('documentTitle');
    // Renamed and made private again: the next search shows it.
    await index.setDocumentInfo(ref, { documentId: 'doc1', title: 'Staff handbook', public: false });
    const [again] = await index.search(ref, query({ text: 'alpha', documentIds: ['doc1'] }));
    expect(again).toMatchObject({ documentTitle: 'Staff handbook', public: false });
    expect(again).not.toHaveProperty('sourceUrl');
  });
});

describe('KnowledgeDO: pruning retired chunks', () => {
  it('keeps what the lowest pin needs, then deletes rows, keyword entries and local vectors below it', async () => {
    const ref = collection();
    await reindexed(ref);
    await index.publishRevision(ref, 2);
    await index.setDocumentInfo(ref, { documentId: 'doc1', title: 'One', public: false });
    expect(await counts(ref)).toEqual({ chunks: 3, vectors: 3, documents: 1 });

    // A version still pins revision 1: b (retired at 2) must stay.
    expect(await index.prune(ref, 1)).toBe(0);
    expect(keys(await index.search(ref, query({ text: 'bravo', revision: 1, mode: 'keyword' })))).toEqual(['b']);

    // The pin moved to 2: b goes, everywhere.
    expect(await index.prune(ref, 2)).toBe(1);
    expect(await counts(ref)).toEqual({ chunks: 2, vectors: 2, documents: 1 });
    expect(await index.search(ref, query({ text: 'bravo', revision: 1, mode: 'keyword' }))).toEqual([]);
    const dense = await index.search(ref, query({ vector: axis(1), revision: 1, mode: 'dense' }));
    expect(keys(dense)).toEqual(['a']);
    const listed = await index.listChunks(ref, 'doc1', { offset: 0, limit: 10 });
    expect(listed.chunks.map((c) => c.chunkKey).sort()).toEqual(['a', 'c']);
    // Live chunks are never pruned, whatever the floor.
    expect(await index.prune(ref, 99)).toBe(0);
    expect(keys(await index.search(ref, query({ text: 'words' })))).toEqual(['a', 'c']);

    // A deleted document: its rows go with its last chunk.
    await index.retireChunks(ref, 3, 'doc1', new Set());
    expect(await index.prune(ref, 3)).toBe(2);
    expect(await counts(ref)).toEqual({ chunks: 0, vectors: 0, documents: 0 });
  });

  it('deletes the pruned vectors from Vectorize too (the fake speaking its API)', async () => {
    const ref = collection();
    const fake = new FakeVectorize(DIMS);
    await runInDurableObject(stubOf(ref), (instance) => {
      // The object builds its store from the bindings; the test hands it the Vectorize adapter over the fake.
      (instance as unknown as { store: VectorizeStore }).store = new VectorizeStore(fake);
    });
    await reindexed(ref);
    expect(fake.vectors.size).toBe(3);
    const retired = await runInDurableObject(stubOf(ref), (_i, state) =>
      state.storage.sql.exec<{ vector_id: string }>("SELECT vector_id FROM chunks WHERE chunk_key = 'b'").one(),
    );
    expect(await index.prune(ref, 2)).toBe(1);
    expect(fake.vectors.has(retired.vector_id)).toBe(false);
    expect(fake.vectors.size).toBe(2);
    expect(fake.calls.some((call) => call.method === 'deleteByIds' && call.size === 1)).toBe(true);

    // Deleting the collection: every vector, then all of the object's storage.
    await index.deleteAll(ref);
    expect(fake.vectors.size).toBe(0);
    const empty = await runInDurableObject(stubOf(ref), (_i, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").one(),
    );
    expect(empty.n).toBe(0);
    // Called again (a retried delete), it is an empty object that finds nothing.
    await index.deleteAll(ref);
    expect(await index.search(ref, query({ text: 'words' }))).toEqual([]);
  });
});

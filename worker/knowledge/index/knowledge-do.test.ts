import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { knowledgeIndex, knowledgeStub } from './client.ts';
import type { CollectionRef, IndexedChunk, SearchQuery } from './knowledge-index.ts';

const DIMS = 8;
const index = knowledgeIndex(env);

function collection(teamId = `team_${crypto.randomUUID()}`): CollectionRef {
  return {
    teamId,
    collectionId: `kcol_${crypto.randomUUID().slice(0, 8)}`,
    embedder: { pluginId: 'offline', model: 'hash-8', dimensions: DIMS },
  };
}

/** A unit vector along `axis`, tilted slightly toward `toward` (so two chunks on one axis still rank apart). */
function axis(at: number, toward?: number, tilt = 0.3): Float32Array {
  const v = new Float32Array(DIMS);
  v[at] = 1;
  if (toward !== undefined) v[toward] = tilt;
  return v;
}

function chunk(documentId: string, key: string, text: string, vector: Float32Array, ordinal = 0): IndexedChunk {
  return { documentId, chunkKey: key, ordinal, text, context: '', tokens: text.split(' ').length, vector };
}

function query(over: Partial<SearchQuery>): SearchQuery {
  return {
    text: '',
    vector: new Float32Array(DIMS),
    topK: 10,
    fetchK: 40,
    denseWeight: 0.7,
    rrfK: 60,
    mode: 'hybrid',
    ...over,
  };
}

const keys = (hits: { chunkKey: string }[]) => hits.map((h) => h.chunkKey);

describe('KnowledgeDO: chunks and revisions', () => {
  it('adds chunks once, however often a batch is delivered', async () => {
    const ref = collection();
    const batch = [chunk('doc1', 'a', 'alpha text', axis(0)), chunk('doc1', 'b', 'beta text', axis(1), 1)];
    await index.addChunks(ref, 1, batch);
    await index.addChunks(ref, 1, batch);
    await index.addChunks(ref, 1, [batch[0] as IndexedChunk, batch[0] as IndexedChunk]);
    expect([...(await index.liveChunkKeys(ref, 'doc1'))].sort()).toEqual(['a', 'b']);
    const listed = await index.listChunks(ref, 'doc1', { offset: 0, limit: 10 });
    expect(listed.total).toBe(2);
    expect(listed.chunks.map((c) => [c.chunkKey, c.ordinal, c.addedRevision])).toEqual([
      ['a', 0, 1],
      ['b', 1, 1],
    ]);
    const hits = await index.search(ref, query({ text: 'alpha', vector: axis(0) }));
    expect(keys(hits)).toEqual(['a', 'b']);
    // One vector per chunk in the local store, however often the batch came.
    const vectors = await runInDurableObject(
      env.KNOWLEDGE.get(env.KNOWLEDGE.idFromName(`${ref.teamId}:${ref.collectionId}`)),
      (_o, state) => state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM vectors').one().n,
    );
    expect(vectors).toBe(2);
  });

  it('keeps what each revision saw: replaced and deleted chunks stay findable at their revisions', async () => {
    const ref = collection();
    await index.addChunks(ref, 1, [
      chunk('doc1', 'a', 'the kettle boils water', axis(0)),
      chunk('doc1', 'b', 'the kettle whistles loudly', axis(1), 1),
    ]);
    // Revision 2 replaces the file: `a` stays, `b` goes, `c` is new.
    const live = await index.liveChunkKeys(ref, 'doc1');
    expect(live.has('a')).toBe(true);
    await index.addChunks(ref, 2, [chunk('doc1', 'c', 'the kettle is descaled', axis(2), 1)]);
    expect(await index.retireChunks(ref, 2, 'doc1', new Set(['a', 'c']))).toBe(1);
    expect(await index.retireChunks(ref, 2, 'doc1', new Set(['a', 'c']))).toBe(0);
    await index.addChunks(ref, 2, [chunk('doc2', 'x', 'a kettle of fish', axis(3))]);
    // Revision 3 deletes doc2.
    expect(await index.retireChunks(ref, 3, 'doc2', new Set())).toBe(1);

    for (const mode of ['keyword', 'dense', 'hybrid'] as const) {
      const at = async (revision?: number) =>
        keys(await index.search(ref, query({ text: 'kettle', vector: axis(0, 1), mode, revision }))).sort();
      expect(await at(1), mode).toEqual(['a', 'b']);
      expect(await at(2), mode).toEqual(['a', 'c', 'x']);
      expect(await at(3), mode).toEqual(['a', 'c']);
      expect(await at(), mode).toEqual(['a', 'c']);
      expect(await at(0), mode).toEqual([]);
    }
    const listed = await index.listChunks(ref, 'doc1', { offset: 0, limit: 10 });
    expect(listed.chunks.map((c) => [c.chunkKey, c.retiredRevision])).toEqual([
      ['a', undefined],
      ['c', undefined],
      ['b', 2],
    ]);
    // A chunk retired and then back (the old text restored) is a new life, visible from its new revision.
    await index.addChunks(ref, 4, [chunk('doc1', 'b', 'the kettle whistles loudly', axis(1), 2)]);
    expect(keys(await index.search(ref, query({ text: 'whistles', mode: 'keyword', revision: 3 })))).toEqual([]);
    expect(keys(await index.search(ref, query({ text: 'whistles', mode: 'keyword', revision: 4 })))).toEqual(['b']);
  });

  it('moves kept chunks without re-embedding: new ordinal, context and page, found by the new heading', async () => {
    const ref = collection();
    await index.addChunks(ref, 1, [{ ...chunk('doc1', 'a', 'install the package', axis(0)), context: 'Setup' }]);
    await index.moveChunks(ref, 'doc1', [{ chunkKey: 'a', ordinal: 5, context: 'Guide › Installation', page: 3 }]);
    const [moved] = (await index.listChunks(ref, 'doc1', { offset: 0, limit: 10 })).chunks;
    expect(moved).toMatchObject({ chunkKey: 'a', ordinal: 5, context: 'Guide › Installation', page: 3 });
    expect(keys(await index.search(ref, query({ text: 'installation', mode: 'keyword' })))).toEqual(['a']);
    expect(keys(await index.search(ref, query({ text: 'setup', mode: 'keyword' })))).toEqual([]);
  });

  it('filters by documents on both sides, and an empty list finds nothing', async () => {
    const ref = collection();
    await index.addChunks(ref, 1, [
      chunk('doc1', 'a', 'shared words here', axis(0)),
      chunk('doc2', 'b', 'shared words there', axis(0, 1)),
    ]);
    for (const mode of ['keyword', 'dense', 'hybrid'] as const) {
      const hits = await index.search(ref, query({ text: 'shared', vector: axis(0), mode, documentIds: ['doc2'] }));
      expect(keys(hits), mode).toEqual(['b']);
      expect(await index.search(ref, query({ text: 'shared', vector: axis(0), mode, documentIds: [] }))).toEqual([]);
    }
  });

  it('fuses by rank: a chunk high on both sides beats one that tops a single side', async () => {
    const ref = collection();
    await index.addChunks(ref, 1, [
      // dense best, keyword absent
      chunk('doc1', 'dense-only', 'unrelated words entirely', axis(0)),
      // dense second, keyword best
      chunk('doc1', 'both', 'battery battery battery life', axis(0, 1, 0.5)),
      // keyword second, dense far
      chunk('doc1', 'keyword-only', 'battery replacement guide with many other words', axis(5)),
    ]);
    const hits = await index.search(ref, query({ text: 'battery', vector: axis(0) }));
    // Dense ranks every chunk (dense-only 1, both 2, keyword-only 3); keyword ranks both 1, keyword-only 2. Fused:
    // both 0.7/62 + 0.3/61 ≈ .01621, keyword-only 0.7/63 + 0.3/62 ≈ .01595, dense-only 0.7/61 ≈ .01148.
    expect(keys(hits)).toEqual(['both', 'keyword-only', 'dense-only']);
    const [both, keywordOnly, denseOnly] = hits;
    expect(both).toMatchObject({ dense: { rank: 2 }, keyword: { rank: 1 } });
    expect(both?.score).toBeCloseTo(0.7 / 62 + 0.3 / 61, 10);
    expect(keywordOnly).toMatchObject({ dense: { rank: 3 }, keyword: { rank: 2 } });
    expect(denseOnly?.dense?.rank).toBe(1);
    expect(denseOnly?.keyword).toBeUndefined();
    // A heavier dense weight turns the order round.
    const denseHeavy = await index.search(ref, query({ text: 'battery', vector: axis(0), denseWeight: 0.99 }));
    expect(keys(denseHeavy)).toEqual(['dense-only', 'both', 'keyword-only']);
    // topK cuts after fusion; dense mode scores are cosines, keyword mode scores are −bm25 (higher is better).
    expect(keys(await index.search(ref, query({ text: 'battery', vector: axis(0), topK: 1 })))).toEqual(['both']);
    const dense = await index.search(ref, query({ vector: axis(0), mode: 'dense' }));
    expect(dense[0]).toMatchObject({ chunkKey: 'dense-only', score: expect.closeTo(1, 5) });
    const keyword = await index.search(ref, query({ text: 'battery', mode: 'keyword' }));
    expect(keys(keyword)).toEqual(['both', 'keyword-only']);
    expect(keyword[0]?.score).toBeGreaterThan(keyword[1]?.score ?? Number.POSITIVE_INFINITY);
  });

  it('refuses a call that names another team, collection or embedder than the object was claimed by', async () => {
    const ref = collection();
    await index.addChunks(ref, 1, [chunk('doc1', 'a', 'secret text', axis(0))]);
    const stub = knowledgeStub(env, ref);
    // RPC rejections are read with then(…, …): `expect(…).rejects` left workerd reporting them as unhandled.
    const failure = (call: Promise<unknown>) =>
      call.then(
        () => null,
        (error: Error) => error.message,
      );
    const other = { ...ref, teamId: 'team_other' };
    expect(await failure(stub.search(other, query({ text: 'secret' })))).toMatch(/another team/);
    expect(await failure(stub.liveChunkKeys({ ...ref, collectionId: 'kcol_other' }, 'doc1'))).toMatch(/another/);
    const otherEmbedder = { ...ref, embedder: { ...ref.embedder, dimensions: 4 } };
    expect(await failure(stub.addChunks(otherEmbedder, 2, []))).toMatch(/another/);
    expect(await failure(index.addChunks(ref, 2, [chunk('doc1', 'z', 'x', new Float32Array(3))]))).toMatch(
      /3 dimensions/,
    );
  });
});

describe('KnowledgeDO: keyword search over user text', () => {
  const texts: [string, string][] = [
    ['en', 'Reset the router: hold the button for 10 seconds (then release).'],
    ['quote', 'He said "do not unplug" twice.'],
    ['fr', 'Le café est servi à la réception.'],
    ['el', 'Η επαναφορά του δρομολογητή διαρκεί δέκα δευτερόλεπτα.'],
    ['ja', '東京タワーに行きました。'],
    ['zh', '我们的退货政策是三十天。'],
    ['code', 'Call user.reset_password() with the token; C++ and C# both work.'],
  ];
  let ref: CollectionRef;

  async function found(text: string): Promise<string[]> {
    ref ??= collection();
    if ((await index.liveChunkKeys(ref, 'doc')).size === 0) {
      await index.addChunks(
        ref,
        1,
        texts.map(([key, body], i) => chunk('doc', key, body, axis(i % DIMS), i)),
      );
    }
    return keys(await index.search(ref, query({ text, mode: 'keyword' }))).sort();
  }

  it('never fails on FTS syntax in user text: quotes, operators, NEAR, stars, brackets', async () => {
    for (const text of [
      '"',
      '""',
      '"unplug',
      'NEAR(router button)',
      'router*',
      '*',
      'AND',
      'OR NOT',
      '(',
      ')',
      ':',
      '^router',
      'text: router',
      '-router',
      'router + button',
      "router's",
      '\\',
      '%',
      "'; DROP TABLE chunks; --",
    ]) {
      await expect(found(text), text).resolves.toBeDefined();
    }
    // Operators are words to match like any other: no chunk says NEAR, so AND finds nothing.
    expect(await found('NEAR(router button)')).toEqual([]);
    expect(await found('router button')).toEqual(['en']);
    expect(await found('router*')).toEqual(['en']);
    expect(await found('"do not unplug"')).toEqual(['quote']);
    // `OR` is a word to match, not an operator: no chunk has it, so AND finds nothing.
    expect(await found('router OR kettle')).toEqual([]);
    expect(await found('*')).toEqual([]);
    expect(await found("'; DROP TABLE chunks; --")).toEqual([]);
    expect(await found('router')).toEqual(['en']);
  });

  it('matches every token (AND), whatever the case and punctuation around it', async () => {
    expect(await found('ROUTER, button!')).toEqual(['en']);
    expect(await found('router kettle')).toEqual([]);
    expect(await found('reset_password')).toEqual(['code']);
    expect(await found('C++')).toEqual(['code']);
  });

  it('folds diacritics both ways', async () => {
    expect(await found('cafe')).toEqual(['fr']);
    expect(await found('CAFÉ reception')).toEqual(['fr']);
    expect(await found('επαναφορα')).toEqual(['el']);
    expect(await found('ΕΠΑΝΑΦΟΡΆ δευτερόλεπτα')).toEqual(['el']);
  });

  it('finds CJK words inside unspaced text (indexed as character pairs)', async () => {
    expect(await found('東京')).toEqual(['ja']);
    expect(await found('東京タワー')).toEqual(['ja']);
    expect(await found('タワー 行き')).toEqual(['ja']);
    expect(await found('退货政策')).toEqual(['zh']);
    expect(await found('政策')).toEqual(['zh']);
    // A single character matches the pairs it starts.
    expect(await found('退')).toEqual(['zh']);
    expect(await found('大阪')).toEqual([]);
    // Pairs are matched as a phrase, not as a bag: the reversed word is not found.
    expect(await found('京東')).toEqual([]);
  });
});

import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../test/api-keys.ts';
import { authed, BASE, seedDemo } from '../../../test/seed.ts';
import { database } from '../../db/client.ts';
import { knowledgeCollections, knowledgeDocuments } from '../../db/schema/index.ts';
import { embedTexts } from '../embed.ts';
import { knowledgeIndex } from '../index/client.ts';
import { refOf } from '../index/collection-ref.ts';

interface Team {
  teamId: string;
  key: string;
  collectionId: string;
  documentIds: string[];
}

/** A collection on the offline embedder with one document per text, indexed at revision 1 (as ingestion would). */
async function teamWithCollection(texts: string[], revision = 1): Promise<Team> {
  const demo = await seedDemo();
  const key = await createApiKey(demo.teamId, ['read']);
  const collectionId = `kcol_${crypto.randomUUID().replaceAll('-', '').slice(0, 26)}`;
  const db = database(env.DB);
  const [row] = await db
    .insert(knowledgeCollections)
    .values({
      id: collectionId,
      teamId: demo.teamId,
      name: 'Manuals',
      embedderPluginId: 'offline-embedder',
      embeddingModel: 'hash-1024',
      dimensions: 1024,
      revision,
      createdAt: Date.now(),
      updatedAt: Date.now(),
    })
    .returning();
  if (!row) throw new Error('no collection');
  const documentIds = texts.map(() => `kdoc_${crypto.randomUUID().replaceAll('-', '').slice(0, 26)}`);
  await db.insert(knowledgeDocuments).values(
    documentIds.map((id, i) => ({
      id,
      teamId: demo.teamId,
      collectionId,
      title: `Document ${i}`,
      source: 'text' as const,
      fileKey: `knowledge/${demo.teamId}/${collectionId}/${id}/x`,
      contentType: 'text/plain',
      format: 'txt',
      bytes: 10,
      sha256: 'x',
      status: 'ready' as const,
      ingestId: 'i',
      revision: 1,
      createdAt: Date.now(),
      updatedAt: Date.now(),
    })),
  );
  const ref = refOf(row);
  const { vectors } = await embedTexts(env, demo.teamId, ref.embedder, texts, 'document');
  await knowledgeIndex(env).addChunks(
    ref,
    1,
    texts.map((text, i) => ({
      documentId: documentIds[i] ?? '',
      chunkKey: `k${i}`,
      ordinal: 0,
      text,
      context: 'Guide',
      tokens: 10,
      vector: vectors[i] ?? new Float32Array(1024),
    })),
  );
  return { teamId: demo.teamId, key, collectionId, documentIds };
}

const search = (team: Pick<Team, 'key'>, collectionId: string, body: unknown) =>
  SELF.fetch(
    `${BASE}/api/v1/knowledge/collections/${collectionId}/search`,
    authed(team.key, { method: 'POST', body: JSON.stringify(body) }),
  );

interface Hit {
  documentId: string;
  documentTitle: string | null;
  chunkKey: string;
  text: string;
  score: number;
  dense?: { rank: number; score: number };
  keyword?: { rank: number; score: number };
}

const A_TEXTS = [
  'To reset the router, hold the reset button for ten seconds.',
  'The router light blinks orange while it updates its firmware.',
  'Our refund policy gives you thirty days to return a product.',
];

describe('POST /api/v1/knowledge/collections/{id}/search', () => {
  let a: Team;

  beforeAll(async () => {
    a = await teamWithCollection(A_TEXTS);
  });

  it('answers ranked hits with dense, keyword and fused scores and the document titles', async () => {
    const res = await search(a, a.collectionId, { query: 'reset the router', topK: 3 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { collectionId: string; mode: string; revision: number; hits: Hit[] };
    expect(body).toMatchObject({ collectionId: a.collectionId, mode: 'hybrid', revision: 1 });
    const [top] = body.hits;
    expect(top).toMatchObject({ chunkKey: 'k0', documentId: a.documentIds[0], documentTitle: 'Document 0' });
    expect(top?.dense?.rank).toBe(1);
    expect(top?.keyword?.rank).toBe(1);
    expect(top?.score).toBeCloseTo(0.7 / 61 + 0.3 / 61, 10);
    expect(body.hits.map((h) => h.score)).toEqual([...body.hits.map((h) => h.score)].sort((x, y) => y - x));
  });

  it('searches one side alone in dense and keyword modes', async () => {
    const keyword = (await (await search(a, a.collectionId, { query: 'refund', mode: 'keyword' })).json()) as {
      hits: Hit[];
    };
    expect(keyword.hits.map((h) => h.chunkKey)).toEqual(['k2']);
    expect(keyword.hits[0]?.dense).toBeUndefined();
    const dense = (await (
      await search(a, a.collectionId, { query: 'router light', mode: 'dense', topK: 2 })
    ).json()) as {
      hits: Hit[];
    };
    expect(dense.hits).toHaveLength(2);
    expect(dense.hits[0]).toMatchObject({ chunkKey: 'k1', dense: { rank: 1 } });
    expect(dense.hits[0]?.keyword).toBeUndefined();
  });

  it('refuses bad input with 400s naming the field', async () => {
    const cases: [unknown, string][] = [
      [{}, 'body.query'],
      [{ query: '   ' }, 'body.query'],
      [{ query: 'x'.repeat(2001) }, 'body.query'],
      [{ query: 'router', topK: 0 }, 'body.topK'],
      [{ query: 'router', topK: 51 }, 'body.topK'],
      [{ query: 'router', topK: 2.5 }, 'body.topK'],
      [{ query: 'router', mode: 'fuzzy' }, 'body.mode'],
      [{ query: 'router', revision: -1 }, 'body.revision'],
      [{ query: 'router', revision: 2 }, 'body.revision'],
      [{ query: 'router', documentIds: [] }, 'body.documentIds'],
    ];
    for (const [body, field] of cases) {
      const res = await search(a, a.collectionId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(await res.json()), JSON.stringify(body)).toContain(field);
    }
    const raw = await SELF.fetch(
      `${BASE}/api/v1/knowledge/collections/${a.collectionId}/search`,
      authed(a.key, { method: 'POST' }),
    );
    expect(raw.status).toBe(400);
  });

  it('pins a revision: a deleted document is still found at the revision it lived in', async () => {
    const pinned = await teamWithCollection(['The warranty lasts two years.'], 2);
    const row = await database(env.DB).query.knowledgeCollections.findFirst({
      where: (t, { eq }) => eq(t.id, pinned.collectionId),
    });
    if (!row) throw new Error('no collection');
    expect(await knowledgeIndex(env).retireChunks(refOf(row), 2, pinned.documentIds[0] ?? '', new Set())).toBe(1);
    const at = async (revision?: number) => {
      const res = await search(pinned, pinned.collectionId, { query: 'warranty', revision });
      return ((await res.json()) as { hits: Hit[] }).hits.map((h) => h.chunkKey);
    };
    expect(await at(1)).toEqual(['k0']);
    expect(await at(2)).toEqual([]);
    expect(await at()).toEqual([]);
  });

  it('searches the published revision by default: chunks of a change still ingesting stay invisible', async () => {
    const team = await teamWithCollection(['The manual covers the kettle.']);
    const row = await database(env.DB).query.knowledgeCollections.findFirst({
      where: (t, { eq }) => eq(t.id, team.collectionId),
    });
    if (!row) throw new Error('no collection');
    // A second document being ingested at revision 2, not yet published (the collection is still at 1).
    const [vector] = (await embedTexts(env, team.teamId, refOf(row).embedder, ['kettle descaling'], 'document'))
      .vectors;
    await knowledgeIndex(env).addChunks(refOf(row), 2, [
      {
        documentId: 'kdoc_pending',
        chunkKey: 'p0',
        ordinal: 0,
        text: 'kettle descaling',
        context: '',
        tokens: 2,
        vector: vector ?? new Float32Array(1024),
      },
    ]);
    const res = await search(team, team.collectionId, { query: 'kettle' });
    const body = (await res.json()) as { revision: number; hits: Hit[] };
    expect(body.revision).toBe(1);
    expect(body.hits.map((h) => h.chunkKey)).toEqual(['k0']);
  });
});

describe('knowledge search: tenant isolation', () => {
  let a: Team;
  let b: Team;

  beforeAll(async () => {
    a = await teamWithCollection(A_TEXTS);
    b = await teamWithCollection(['Team B keeps its own notes about routers and refunds.']);
  });

  it("answers 404 for another team's collection and for an unknown one, naming none of its content", async () => {
    for (const id of [a.collectionId, 'kcol_doesnotexist', `${a.collectionId}x`, '..%2F..']) {
      const res = await search(b, id, { query: 'router' });
      expect(res.status, id).toBe(404);
      const text = await res.text();
      for (const secret of [...a.documentIds, 'reset button', 'Document 0']) expect(text).not.toContain(secret);
    }
  });

  it("never returns A's chunks through B's collection, even with a filter naming A's documents", async () => {
    for (const mode of ['hybrid', 'dense', 'keyword'] as const) {
      const own = await search(b, b.collectionId, { query: 'router', mode });
      expect(own.status).toBe(200);
      const ownHits = ((await own.json()) as { hits: Hit[] }).hits;
      expect(
        ownHits.every((h) => b.documentIds.includes(h.documentId)),
        mode,
      ).toBe(true);
      const crafted = await search(b, b.collectionId, { query: 'router reset', mode, documentIds: a.documentIds });
      expect(crafted.status).toBe(200);
      expect(((await crafted.json()) as { hits: Hit[] }).hits, mode).toEqual([]);
    }
  });

  it("keeps collections apart inside the index: B's team id with A's collection id addresses an empty object", async () => {
    const row = await database(env.DB).query.knowledgeCollections.findFirst({
      where: (t, { eq }) => eq(t.id, a.collectionId),
    });
    if (!row) throw new Error('no collection');
    const crafted = { ...refOf(row), teamId: b.teamId };
    const hits = await knowledgeIndex(env).search(crafted, {
      text: 'router',
      vector: new Float32Array(1024).fill(0.03),
      topK: 10,
      fetchK: 40,
      denseWeight: 0.7,
      rrfK: 60,
      mode: 'hybrid',
    });
    expect(hits).toEqual([]);
    expect((await knowledgeIndex(env).liveChunkKeys(crafted, a.documentIds[0] ?? '')).size).toBe(0);
  });
});

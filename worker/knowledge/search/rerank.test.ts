import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { authed, BASE } from '../../../test/seed.ts';
import { type IndexedTeam, indexedCollection } from './testing.ts';

interface Hit {
  chunkKey: string;
  score: number;
  dense?: { rank: number; score: number };
  keyword?: { rank: number; score: number };
  rerank?: { rank: number; score: number };
}
interface Result {
  reranked: boolean;
  warning?: string;
  hits: Hit[];
}

const TEXTS = [
  'Policy policy policy policy refund.',
  'Refund refund: the refund policy gives thirty days to ask for a refund of any order.',
  'Privacy policy of the shop.',
  'Shipping policy for parcels.',
  'Returns policy and opening hours.',
];

async function search(team: IndexedTeam, body: unknown): Promise<Result> {
  const res = await SELF.fetch(
    `${BASE}/api/v1/knowledge/collections/${team.collectionId}/search`,
    authed(team.key, { method: 'POST', body: JSON.stringify(body) }),
  );
  expect(res.status).toBe(200);
  return (await res.json()) as Result;
}

async function searchStatus(team: IndexedTeam, body: unknown): Promise<Response> {
  return SELF.fetch(
    `${BASE}/api/v1/knowledge/collections/${team.collectionId}/search`,
    authed(team.key, { method: 'POST', body: JSON.stringify(body) }),
  );
}

const QUERY = 'refund policy';
const keys = (result: Result) => result.hits.map((hit) => hit.chunkKey);

describe('re-ranking in knowledge search', () => {
  let team: IndexedTeam;
  let fusedOrder: string[];
  beforeAll(async () => {
    team = await indexedCollection(TEXTS, { pluginId: 'offline-reranker', model: 'bm25', candidates: 20 });
    fusedOrder = keys(await search(team, { query: QUERY, rerank: false }));
  });

  it('keeps the fused order with rerank: false, with no rerank scores and no warning', async () => {
    const fused = await search(team, { query: QUERY, rerank: false });
    // The dense side (weight 0.7) puts the passage repeating "policy" first.
    expect(fusedOrder.slice(0, 2)).toEqual(['k0', 'k1']);
    expect(fused.reranked).toBe(false);
    expect(fused.warning).toBeUndefined();
    expect(fused.hits.every((hit) => hit.rerank === undefined)).toBe(true);
  });

  it('re-orders the fused hits with the collection’s re-ranker and shows its rank and score on each', async () => {
    const result = await search(team, { query: QUERY });
    expect(result.reranked).toBe(true);
    expect(result.warning).toBeUndefined();
    // BM25 weighs the rare "refund" above the common "policy": the refund passage moves up.
    expect(keys(result)).toEqual(['k1', 'k0', 'k3', 'k2', 'k4']);
    expect(keys(result)).not.toEqual(fusedOrder);
    expect(result.hits.map((hit) => hit.rerank?.rank)).toEqual([1, 2, 3, 4, 5]);
    const scores = result.hits.map((hit) => hit.rerank?.score ?? Number.NaN);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // The first-stage evidence stays next to it.
    expect(result.hits[0]).toMatchObject({ dense: { rank: 2 }, keyword: { rank: 1 } });
  });

  it('re-ranks all candidates, not just topK: the top hit of one comes from second place', async () => {
    const result = await search(team, { query: QUERY, topK: 1 });
    expect(keys(result)).toEqual(['k1']);
    expect(result.hits[0]?.rerank).toMatchObject({ rank: 1 });
  });

  it('re-ranks only the first `candidates` fused hits (never fewer than topK)', async () => {
    const narrow = await indexedCollection(TEXTS, { pluginId: 'offline-reranker', model: 'bm25', candidates: 1 });
    expect(keys(await search(narrow, { query: QUERY, topK: 1 }))).toEqual(['k0']);
    // topK 2 > candidates 1: the first two fused hits are re-ranked, and only they.
    const two = await search(narrow, { query: QUERY, topK: 2 });
    expect(keys(two).sort()).toEqual(['k0', 'k1']);
    expect(two.hits.map((hit) => hit.rerank?.rank)).toEqual([1, 2]);
  });

  it('falls back to the fused order with a warning when the re-ranker is unavailable, never failing', async () => {
    // Workers AI has no local simulator: without the AI binding the re-ranker cannot be called.
    const broken = await indexedCollection(TEXTS, {
      pluginId: 'workers-ai-reranker',
      model: '@cf/baai/bge-reranker-base',
      candidates: 20,
    });
    const result = await search(broken, { query: QUERY });
    expect(result.reranked).toBe(false);
    expect(keys(result)).toEqual(fusedOrder);
    expect(result.hits.every((hit) => hit.rerank === undefined)).toBe(true);
    expect(result.warning).toMatch(/workers-ai-reranker failed \(.*AI binding.*\); hits are in the fused order/);
  });

  it('warns when the team has not configured a re-ranker that needs a key', async () => {
    const unconfigured = await indexedCollection(TEXTS, {
      pluginId: 'cohere-rerank',
      model: 'rerank-v3.5',
      candidates: 5,
    });
    const result = await search(unconfigured, { query: QUERY, topK: 3 });
    expect(result).toMatchObject({ reranked: false });
    expect(keys(result)).toEqual(fusedOrder.slice(0, 3));
    expect(result.warning).toMatch(/cohere-rerank is not configured for this team/);
  });

  it('re-ranks through a configured cohere-rerank, and falls back with its 429 as the warning, key unquoted', async () => {
    const cohere = await indexedCollection(TEXTS, { pluginId: 'cohere-rerank', model: 'rerank-v3.5', candidates: 20 });
    const apiKey = 'test-key';
    const configured = await SELF.fetch(
      `${BASE}/api/v1/plugin-configs`,
      authed(cohere.adminKey, {
        method: 'POST',
        body: JSON.stringify({
          pluginId: 'cohere-rerank',
          settings: { apiKey, baseUrl: inject('fakeServers')['cohere-rerank'] },
        }),
      }),
    );
    expect(configured.status).toBe(201);
    const result = await search(cohere, { query: QUERY });
    expect(result.reranked).toBe(true);
    // The fake scores by the share of query words present: both in k0 and k1, one in the rest; ties keep fused order.
    expect(keys(result).slice(0, 3)).toEqual(['k0', 'k1', 'k2']);
    expect(result.hits[0]?.rerank?.score).toBeGreaterThan(result.hits[3]?.rerank?.score ?? 1);
    const limited = 'refund fake-429';
    const fused = keys(await search(cohere, { query: limited, rerank: false }));
    const failed = await search(cohere, { query: limited });
    expect(failed).toMatchObject({ reranked: false });
    expect(keys(failed)).toEqual(fused);
    expect(failed.warning).toMatch(/cohere-rerank failed \(Cohere rerank answered 429: /);
    expect(failed.warning).not.toContain(apiKey);
  });

  it('warns when rerank: true is asked of a collection without a re-ranker', async () => {
    const plain = await indexedCollection(TEXTS);
    const result = await search(plain, { query: QUERY, rerank: true });
    expect(result.reranked).toBe(false);
    expect(keys(result)).toEqual(fusedOrder);
    expect(result.warning).toMatch(/no re-ranker/);
    expect((await search(plain, { query: QUERY })).warning).toBeUndefined();
  });

  it('refuses a rerank that is not a boolean with a 400 naming the field', async () => {
    const res = await searchStatus(team, { query: QUERY, rerank: 'yes' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('body.rerank');
  });
});

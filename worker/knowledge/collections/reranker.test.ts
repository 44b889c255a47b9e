import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { authed, BASE, seedDemo } from '../../../test/seed.ts';

interface Collection {
  id: string;
  reranker: { pluginId: string; model: string; candidates: number } | null;
}
interface ApiErrorBody {
  error: { details?: { field: string; message: string }[] };
}

const URL_COLLECTIONS = `${BASE}/api/v1/knowledge/collections`;

describe('collection re-ranker setting', () => {
  let key: string;
  const call = (method: string, url: string, body?: unknown) =>
    SELF.fetch(url, authed(key, { method, ...(body !== undefined && { body: JSON.stringify(body) }) }));
  const create = (body: Record<string, unknown>) => call('POST', URL_COLLECTIONS, { name: 'Handbook', ...body });
  const fields = async (res: Response) =>
    ((await res.json()) as ApiErrorBody).error.details?.map((detail) => detail.field) ?? [];

  beforeAll(async () => {
    key = (await seedDemo()).apiKey;
  });

  it('has none unless asked, and defaults candidates to 20 when given one', async () => {
    const plain = await create({});
    expect(plain.status).toBe(201);
    expect(((await plain.json()) as Collection).reranker).toBeNull();
    const reranked = await create({ reranker: { pluginId: 'offline-reranker', model: 'bm25' } });
    expect(reranked.status).toBe(201);
    const body = (await reranked.json()) as Collection;
    expect(body.reranker).toEqual({ pluginId: 'offline-reranker', model: 'bm25', candidates: 20 });
    const read = (await (await call('GET', `${URL_COLLECTIONS}/${body.id}`)).json()) as Collection;
    expect(read.reranker).toEqual(body.reranker);
  });

  it('refuses an unknown plugin or model, or too many candidates, with a 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ pluginId: 'nope', model: 'bm25' }, 'body.reranker.pluginId'],
      [{ pluginId: 'offline-embedder', model: 'hash-1024' }, 'body.reranker.pluginId'],
      [{ pluginId: 'offline-reranker', model: 'gpt' }, 'body.reranker.model'],
      [{ pluginId: 'offline-reranker', model: 'bm25', candidates: 51 }, 'body.reranker.candidates'],
      [{ pluginId: 'offline-reranker', model: 'bm25', candidates: 0 }, 'body.reranker.candidates'],
    ];
    for (const [reranker, field] of cases) {
      const res = await create({ reranker });
      expect(res.status, JSON.stringify(reranker)).toBe(400);
      expect(await fields(res), JSON.stringify(reranker)).toContain(field);
    }
  });

  it('is set, kept, replaced and removed by PATCH, and a bad one changes nothing', async () => {
    const { id } = (await (await create({})).json()) as Collection;
    const url = `${URL_COLLECTIONS}/${id}`;
    const set = await call('PATCH', url, {
      reranker: { pluginId: 'cohere-rerank', model: 'rerank-v3.5', candidates: 30 },
    });
    expect(set.status).toBe(200);
    expect(((await set.json()) as Collection).reranker).toEqual({
      pluginId: 'cohere-rerank',
      model: 'rerank-v3.5',
      candidates: 30,
    });
    const renamed = (await (await call('PATCH', url, { name: 'Renamed' })).json()) as Collection;
    expect(renamed.reranker?.pluginId).toBe('cohere-rerank');
    const bad = await call('PATCH', url, { name: 'Not applied', reranker: { pluginId: 'nope', model: 'x' } });
    expect(bad.status).toBe(400);
    expect(await fields(bad)).toContain('body.reranker.pluginId');
    const after = (await (await call('GET', url)).json()) as Collection & { name: string };
    expect(after).toMatchObject({ name: 'Renamed', reranker: { pluginId: 'cohere-rerank' } });
    const removed = await call('PATCH', url, { reranker: null });
    expect(((await removed.json()) as Collection).reranker).toBeNull();
  });
});

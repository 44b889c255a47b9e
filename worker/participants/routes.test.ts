import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, errorFields, insertConversation, scopedKey } from '../../test/api-fixtures.ts';
import { authed, BASE, seedDemo } from '../../test/seed.ts';

interface Participant {
  id: string;
  platform: string;
  externalId: string;
  name: string | null;
  data?: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

const put = (key: string, platform: string, externalId: string, body: unknown) =>
  api.send(key, 'PUT', `/api/v1/participants/${platform}/${encodeURIComponent(externalId)}`, body);

describe('PUT /api/v1/participants/{platform}/{externalId}', () => {
  it('creates (201), then updates (200) merging data shallowly: sent keys replace, null removes, others stay', async () => {
    const demo = await seedDemo();
    const created = await put(demo.apiKey, 'telegram', 'user/42', {
      name: 'Ada',
      data: { plan: 'pro', address: { city: 'Paris', zip: '75001' }, score: 1 },
    });
    expect(created.status).toBe(201);
    const first = (await created.json()) as Participant;
    expect(first).toMatchObject({ platform: 'telegram', externalId: 'user/42', name: 'Ada' });
    expect(first.id).toMatch(/^ptc_/);

    const updated = await put(demo.apiKey, 'telegram', 'user/42', {
      data: { address: { city: 'Lyon' }, score: null, locale: 'fr' },
    });
    expect(updated.status).toBe(200);
    const second = (await updated.json()) as Participant;
    expect(second).toMatchObject({ id: first.id, name: 'Ada' });
    expect(second.data).toEqual({ plan: 'pro', address: { city: 'Lyon' }, locale: 'fr' });
    expect(Date.parse(second.updatedAt)).toBeGreaterThan(Date.parse(first.updatedAt));

    const renamed = await put(demo.apiKey, 'telegram', 'user/42', { name: null });
    expect(((await renamed.json()) as Participant).name).toBeNull();
    const same = await api.get(demo.apiKey, `/api/v1/participants/${first.id}`);
    expect(await same.json()).toMatchObject({ name: null, data: { plan: 'pro', locale: 'fr' } });
    // The same external id on another platform is another person.
    expect((await put(demo.apiKey, 'widget', 'user/42', {})).status).toBe(201);
  });

  it('keeps data within 16 KB as JSON, after merging', async () => {
    const demo = await seedDemo();
    const big = await put(demo.apiKey, 'api', 'big', { data: { blob: 'x'.repeat(16 * 1024) } });
    expect(big.status).toBe(400);
    expect(await errorFields(big)).toEqual(['body.data']);
    expect((await put(demo.apiKey, 'api', 'big', { data: { a: 'x'.repeat(9000) } })).status).toBe(201);
    const merged = await put(demo.apiKey, 'api', 'big', { data: { b: 'x'.repeat(9000) } });
    expect(merged.status).toBe(400);
    expect(await errorFields(merged)).toEqual(['body.data']);
    expect((await put(demo.apiKey, 'api', 'big', { data: { a: null, b: 'x'.repeat(9000) } })).status).toBe(200);
  });

  it('validates the path and body, naming the fields', async () => {
    const demo = await seedDemo();
    // Path and body are validated in turn: a bad path is reported before the body is read.
    const badPath = await put(demo.apiKey, 'Tele Gram', 'x'.repeat(201), {});
    expect(badPath.status).toBe(400);
    expect(await errorFields(badPath)).toEqual(['param.externalId', 'param.platform']);
    const badBody = await put(demo.apiKey, 'api', 'someone', { name: 5, data: [1, 2] });
    expect(badBody.status).toBe(400);
    expect(await errorFields(badBody)).toEqual(['body.data', 'body.name']);
    const notJson = await SELF.fetch(
      `${BASE}/api/v1/participants/api/someone`,
      authed(demo.apiKey, { method: 'PUT', body: '{' }),
    );
    expect(notJson.status).toBe(400);
  });

  it('needs the chat scope and a key', async () => {
    const demo = await seedDemo();
    expect((await api.anonymous('/api/v1/participants/api/x', 'PUT')).status).toBe(401);
    expect((await put(await scopedKey(demo.teamId, ['read']), 'api', 'x', {})).status).toBe(403);
    expect((await put(await scopedKey(demo.teamId, ['chat']), 'api', 'x', {})).status).toBe(201);
  });
});

describe('reading participants', () => {
  it('lists newest first without data, filters by platform, pages, and gets one with its data', async () => {
    const demo = await seedDemo();
    const ids: string[] = [];
    for (const [platform, externalId] of [
      ['api', 'a'],
      ['telegram', 'b'],
      ['api', 'c'],
    ] as const) {
      const res = await put(demo.apiKey, platform, externalId, { data: { externalId } });
      ids.push(((await res.json()) as Participant).id);
    }
    const all = await api.get(demo.apiKey, '/api/v1/participants');
    const page = (await all.json()) as { data: Participant[]; nextCursor: string | null };
    expect(page.data.map((p) => p.id)).toEqual([...ids].reverse());
    expect(page.data[0]).not.toHaveProperty('data');

    const apiOnly = await api.get(demo.apiKey, '/api/v1/participants?platform=api&limit=1');
    const firstPage = (await apiOnly.json()) as { data: Participant[]; nextCursor: string };
    expect(firstPage.data.map((p) => p.externalId)).toEqual(['c']);
    const next = await api.get(demo.apiKey, `/api/v1/participants?platform=api&limit=1&cursor=${firstPage.nextCursor}`);
    const secondPage = (await next.json()) as { data: Participant[]; nextCursor: string | null };
    expect(secondPage).toMatchObject({ data: [{ externalId: 'a' }], nextCursor: null });

    const one = await api.get(demo.apiKey, `/api/v1/participants/${ids[1]}`);
    expect(await one.json()).toMatchObject({
      id: ids[1],
      platform: 'telegram',
      externalId: 'b',
      data: { externalId: 'b' },
    });
    const badQuery = await api.get(demo.apiKey, '/api/v1/participants?platform=A%20B&limit=101');
    expect(await errorFields(badQuery)).toEqual(['query.limit', 'query.platform']);
  });

  it("lists a participant's conversations, newest first, with tags", async () => {
    const demo = await seedDemo();
    const start = await api.send(demo.apiKey, 'POST', '/api/v1/conversations', {
      chatbotId: demo.chatbotId,
      participant: { id: 'carol' },
    });
    const started = (await start.json()) as { id: string; participantId: string };
    const older = await insertConversation(demo.teamId, demo.chatbotId, {
      participantId: started.participantId,
      createdAt: Date.now() - 60_000,
    });
    await insertConversation(demo.teamId, demo.chatbotId); // someone else's
    await api.send(demo.apiKey, 'PUT', `/api/v1/conversations/${older}/tags`, { tags: ['returning'] });

    const res = await api.get(demo.apiKey, `/api/v1/participants/${started.participantId}/conversations`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { id: string; tags: string[] }[]; nextCursor: string | null };
    expect(body.data.map((c) => [c.id, c.tags])).toEqual([
      [started.id, []],
      [older, ['returning']],
    ]);
    const paged = await api.get(demo.apiKey, `/api/v1/participants/${started.participantId}/conversations?limit=1`);
    expect(((await paged.json()) as { nextCursor: string | null }).nextCursor).toEqual(expect.any(String));
  });

  it('needs the read scope; another team gets 404 and an empty list; no key gets 401', async () => {
    const demo = await seedDemo();
    const res = await put(demo.apiKey, 'api', 'dave', { data: { secret: 'mine' } });
    const { id } = (await res.json()) as Participant;
    const chatOnly = await scopedKey(demo.teamId, ['chat']);
    for (const path of [
      '/api/v1/participants',
      `/api/v1/participants/${id}`,
      `/api/v1/participants/${id}/conversations`,
    ]) {
      expect((await api.anonymous(path)).status).toBe(401);
      expect((await api.get(chatOnly, path)).status).toBe(403);
    }
    const other = await seedDemo();
    expect((await api.get(other.apiKey, `/api/v1/participants/${id}`)).status).toBe(404);
    expect((await api.get(other.apiKey, `/api/v1/participants/${id}/conversations`)).status).toBe(404);
    const list = await api.get(other.apiKey, '/api/v1/participants');
    expect(((await list.json()) as { data: unknown[] }).data).toEqual([]);
    // The same identity in another team is another participant, not an update of this one.
    const theirs = await put(other.apiKey, 'api', 'dave', {});
    expect(theirs.status).toBe(201);
    expect(((await theirs.json()) as Participant).id).not.toBe(id);
  });
});

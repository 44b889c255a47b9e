import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, errorFields, scopedKey } from '../../test/api-fixtures.ts';
import { seedDemo } from '../../test/seed.ts';
import { commitParticipantData } from './client.ts';
import type { ChatbotParticipantData, ParticipantDataList } from './schemas.ts';

async function participant(apiKey: string, externalId = `p-${crypto.randomUUID()}`) {
  const res = await api.send(apiKey, 'PUT', `/api/v1/participants/api/${externalId}`, { data: { profile: 'team' } });
  return ((await res.json()) as { id: string }).id;
}

const path = (id: string, chatbotId?: string) =>
  `/api/v1/participants/${id}/data${chatbotId === undefined ? '' : `/${chatbotId}`}`;

describe('participant data API', () => {
  it('reads {} first, then PUT replaces, PATCH merges one level (null deletes), DELETE resets', async () => {
    const demo = await seedDemo();
    const id = await participant(demo.apiKey);
    const first = await api.get(demo.apiKey, path(id, demo.chatbotId));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ chatbotId: demo.chatbotId, data: {}, updatedAt: null });

    const put = await api.send(demo.apiKey, 'PUT', path(id, demo.chatbotId), {
      plan: 'pro',
      address: { city: 'Paris', zip: '75001' },
      score: 1,
    });
    expect(put.status).toBe(200);
    const stored = (await put.json()) as ChatbotParticipantData;
    expect(stored.data).toEqual({ plan: 'pro', address: { city: 'Paris', zip: '75001' }, score: 1 });
    expect(Date.parse(stored.updatedAt ?? '')).toBeGreaterThan(0);

    const patched = await api.send(demo.apiKey, 'PATCH', path(id, demo.chatbotId), {
      address: { city: 'Lyon' },
      score: null,
      locale: 'fr',
    });
    expect(((await patched.json()) as ChatbotParticipantData).data).toEqual({
      plan: 'pro',
      address: { city: 'Lyon' },
      locale: 'fr',
    });

    const all = (await (await api.get(demo.apiKey, path(id))).json()) as ParticipantDataList;
    expect(all.data).toEqual([
      expect.objectContaining({
        chatbotId: demo.chatbotId,
        data: { plan: 'pro', address: { city: 'Lyon' }, locale: 'fr' },
      }),
    ]);
    // The team-wide profile is another thing and stays as it was.
    expect(await (await api.get(demo.apiKey, `/api/v1/participants/${id}`)).json()).toMatchObject({
      data: { profile: 'team' },
    });

    expect((await api.send(demo.apiKey, 'DELETE', path(id, demo.chatbotId))).status).toBe(204);
    expect(
      ((await (await api.get(demo.apiKey, path(id, demo.chatbotId))).json()) as ChatbotParticipantData).data,
    ).toEqual({});
    expect(((await (await api.get(demo.apiKey, path(id))).json()) as ParticipantDataList).data).toEqual([]);
  });

  it('shows what a pipeline run committed', async () => {
    const demo = await seedDemo();
    const id = await participant(demo.apiKey);
    await commitParticipantData(env, { teamId: demo.teamId, participantId: id, chatbotId: demo.chatbotId }, 'run-1', [
      { key: 'visits', op: 'increment', by: 3 },
    ]);
    const res = await api.get(demo.apiKey, path(id, demo.chatbotId));
    expect(((await res.json()) as ChatbotParticipantData).data).toEqual({ visits: 3 });
  });

  it("answers 404 for another team's participant or chatbot, and for unknown ids", async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const id = await participant(demo.apiKey);
    const otherId = await participant(other.apiKey);
    await api.send(demo.apiKey, 'PUT', path(id, demo.chatbotId), { secret: 'demo-team-only' });
    for (const [method, target] of [
      ['GET', path(id)],
      ['GET', path(id, demo.chatbotId)],
      ['PUT', path(id, demo.chatbotId)],
      ['PATCH', path(id, demo.chatbotId)],
      ['DELETE', path(id, demo.chatbotId)],
      // Its own participant with the other team's chatbot, and the reverse.
      ['GET', path(otherId, demo.chatbotId)],
      ['PUT', path(otherId, demo.chatbotId)],
      ['GET', path(id, 'bot_unknown')],
    ] as const) {
      const res = await api.send(other.apiKey, method, target, method === 'PUT' || method === 'PATCH' ? {} : undefined);
      expect(res.status, `${method} ${target}`).toBe(404);
      expect(await res.text()).not.toContain('demo-team-only');
    }
    const kept = await api.get(demo.apiKey, path(id, demo.chatbotId));
    expect(((await kept.json()) as ChatbotParticipantData).data).toEqual({ secret: 'demo-team-only' });
  });

  it('refuses bodies that are not JSON objects and data past 256 KB, naming the body', async () => {
    const demo = await seedDemo();
    const id = await participant(demo.apiKey);
    for (const body of [[1, 2], 'text', 42, null]) {
      const res = await api.send(demo.apiKey, 'PUT', path(id, demo.chatbotId), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await errorFields(res)).toEqual(['body']);
    }
    const big = await api.send(demo.apiKey, 'PUT', path(id, demo.chatbotId), { blob: 'x'.repeat(256 * 1024) });
    expect(big.status).toBe(400);
    const refusal = (await big.json()) as { error: { details: { field: string; message: string }[] } };
    expect(refusal.error.details).toEqual([{ field: 'body', message: expect.stringMatching(/at most 262144/) }]);
    await api.send(demo.apiKey, 'PUT', path(id, demo.chatbotId), { a: 'x'.repeat(200 * 1024) });
    const merged = await api.send(demo.apiKey, 'PATCH', path(id, demo.chatbotId), { b: 'x'.repeat(100 * 1024) });
    expect(merged.status).toBe(400);
    const kept = await api.get(demo.apiKey, path(id, demo.chatbotId));
    expect(Object.keys(((await kept.json()) as ChatbotParticipantData).data)).toEqual(['a']);
  });

  it('needs the read scope to read and the chat scope to write', async () => {
    const demo = await seedDemo();
    const id = await participant(demo.apiKey);
    const reader = await scopedKey(demo.teamId, ['read']);
    expect((await api.get(reader, path(id, demo.chatbotId))).status).toBe(200);
    expect((await api.send(reader, 'PUT', path(id, demo.chatbotId), { a: 1 })).status).toBe(403);
    const chat = await scopedKey(demo.teamId, ['chat']);
    expect((await api.send(chat, 'PATCH', path(id, demo.chatbotId), { a: 1 })).status).toBe(200);
  });
});

import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../plugins/sdk/index.ts';
import { api, errorFields, insertConversation, scopedKey } from '../../test/api-fixtures.ts';
import { addChatbot, seedDemo } from '../../test/seed.ts';
import type { ChatbotDefinition } from '../chatbots/definition.ts';
import { database } from '../db/client.ts';
import { channels, chatbotVersions, conversationTags, messages, participants } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import { newId } from '../ids.ts';

interface Page {
  data: { id: string; chatbotId: string; status: string; tags: string[]; createdAt: string }[];
  nextCursor: string | null;
}

const day = (date: string, hour = 12) => Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
const list = async (key: string, query = '') => {
  const res = await api.get(key, `/api/v1/conversations${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
};

async function fixture() {
  const demo = await seedDemo();
  const db = database(env.DB);
  const now = Date.now();
  const demoVersion = await db.query.chatbotVersions.findFirst({
    where: eq(chatbotVersions.chatbotId, demo.chatbotId),
  });
  const otherBot = await addChatbot(demo.teamId, demoVersion?.definition as ChatbotDefinition);
  const alice = newId('ptc', now);
  await db.insert(participants).values({
    id: alice,
    teamId: demo.teamId,
    platform: 'api',
    externalId: 'alice',
    data: {},
    createdAt: now,
    updatedAt: now,
  });
  const channelId = `chn_${crypto.randomUUID()}`;
  await db.insert(channels).values({
    id: channelId,
    teamId: demo.teamId,
    chatbotId: demo.chatbotId,
    pluginId: 'telegram',
    createdAt: now,
    updatedAt: now,
  });
  const ids = {
    jan1: await insertConversation(demo.teamId, demo.chatbotId, { createdAt: day('2026-01-01'), participantId: alice }),
    jan2: await insertConversation(demo.teamId, demo.chatbotId, { createdAt: day('2026-01-02'), status: 'ended' }),
    jan3: await insertConversation(demo.teamId, otherBot, { createdAt: day('2026-01-03', 23), channelId }),
    jan4: await insertConversation(demo.teamId, demo.chatbotId, { createdAt: day('2026-01-04') }),
  };
  await teamDatabase(env, demo.teamId)
    .insert(conversationTags)
    .values([
      { teamId: demo.teamId, conversationId: ids.jan2, tag: 'vip', createdAt: now },
      { teamId: demo.teamId, conversationId: ids.jan2, tag: 'escalated', createdAt: now },
      { teamId: demo.teamId, conversationId: ids.jan4, tag: 'vip', createdAt: now },
    ]);
  return { demo, otherBot, alice, channelId, ids };
}

describe('GET /api/v1/conversations', () => {
  it('lists newest first with tags, and pages with a cursor without gaps or repeats', async () => {
    const { demo, ids } = await fixture();
    const all = await list(demo.apiKey);
    expect(all.data.map((c) => c.id)).toEqual([ids.jan4, ids.jan3, ids.jan2, ids.jan1]);
    expect(all.data[2]).toMatchObject({
      status: 'ended',
      tags: ['escalated', 'vip'],
      createdAt: '2026-01-02T12:00:00.000Z',
    });
    expect(all.nextCursor).toBeNull();

    const first = await list(demo.apiKey, '?limit=3');
    expect(first.data.map((c) => c.id)).toEqual([ids.jan4, ids.jan3, ids.jan2]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await list(demo.apiKey, `?limit=3&cursor=${first.nextCursor}`);
    expect(second.data.map((c) => c.id)).toEqual([ids.jan1]);
    expect(second.nextCursor).toBeNull();
  });

  it('filters by chatbot, participant, channel, status, tag and date range, combined', async () => {
    const { demo, otherBot, alice, channelId, ids } = await fixture();
    const idsOf = async (query: string) => (await list(demo.apiKey, query)).data.map((c) => c.id);
    expect(await idsOf(`?chatbotId=${otherBot}`)).toEqual([ids.jan3]);
    expect(await idsOf(`?participantId=${alice}`)).toEqual([ids.jan1]);
    expect(await idsOf(`?channelId=${channelId}`)).toEqual([ids.jan3]);
    // Each conversation names its channel (null for API and widget ones), so a transcript can show it.
    const channelled = (await list(demo.apiKey, `?channelId=${channelId}`)).data[0] as { channelId?: string | null };
    expect(channelled.channelId).toBe(channelId);
    expect(((await list(demo.apiKey, '?status=ended')).data[0] as { channelId?: string | null }).channelId).toBeNull();
    expect(await idsOf('?status=ended')).toEqual([ids.jan2]);
    expect(await idsOf('?status=active')).toEqual([ids.jan4, ids.jan3, ids.jan1]);
    expect(await idsOf('?tag=vip')).toEqual([ids.jan4, ids.jan2]);
    expect(await idsOf('?tag=vip&status=active')).toEqual([ids.jan4]);
    // A date `to` includes its whole UTC day (jan3 is at 23:00); a date-time is an instant.
    expect(await idsOf('?from=2026-01-02&to=2026-01-03')).toEqual([ids.jan3, ids.jan2]);
    expect(await idsOf('?from=2026-01-02T12:00:00Z&to=2026-01-03T22:59:59Z')).toEqual([ids.jan2]);
    expect(await idsOf(`?from=2026-01-01&chatbotId=${demo.chatbotId}&tag=vip`)).toEqual([ids.jan4, ids.jan2]);
  });

  it('answers a full page of 100 with their tags (more ids than D1 binds in one statement)', async () => {
    const demo = await seedDemo();
    const key = await scopedKey(demo.teamId, ['read']);
    const ids: string[] = [];
    for (let i = 0; i < 101; i++) {
      ids.push(await insertConversation(demo.teamId, demo.chatbotId, { createdAt: day('2026-02-01') + i }));
    }
    const now = Date.now();
    await teamDatabase(env, demo.teamId)
      .insert(conversationTags)
      .values([
        { teamId: demo.teamId, conversationId: ids[100] as string, tag: 'newest', createdAt: now },
        { teamId: demo.teamId, conversationId: ids[1] as string, tag: 'deep', createdAt: now },
      ]);
    const page = await list(key, '?limit=100');
    expect(page.data).toHaveLength(100);
    expect(page.data[0]).toMatchObject({ id: ids[100], tags: ['newest'] });
    expect(page.data[99]).toMatchObject({ id: ids[1], tags: ['deep'] });
    expect(page.nextCursor).not.toBeNull();
  });

  it('filters by the rating of a reply', async () => {
    const { demo, ids } = await fixture();
    const key = await scopedKey(demo.teamId, ['read']);
    const rated = (conversationId: string, id: string, rating: string | null) => ({
      conversationId,
      id,
      teamId: demo.teamId,
      chatbotId: demo.chatbotId,
      position: 2,
      role: 'assistant' as const,
      content: 'answer',
      status: 'complete' as const,
      metadata: (rating ? { feedback: { rating, at: 1 } } : {}) as JsonObject,
      // What the consumer writes (index-row.ts); migration 0016 filled it from the metadata for older rows.
      rating,
      createdAt: day('2026-01-05'),
    });
    await teamDatabase(env, demo.teamId)
      .insert(messages)
      .values([
        rated(ids.jan1, 'msg_up', 'up'),
        rated(ids.jan2, 'msg_down', 'down'),
        rated(ids.jan4, 'msg_none', null),
      ]);
    expect((await list(key, '?rating=up')).data.map((c) => c.id)).toEqual([ids.jan1]);
    expect((await list(key, '?rating=down')).data.map((c) => c.id)).toEqual([ids.jan2]);
    const bad = await api.get(key, '/api/v1/conversations?rating=meh');
    expect(await errorFields(bad)).toEqual(['query.rating']);
  });

  it("never shows another team's conversations, even filtered by their ids", async () => {
    const { ids, otherBot } = await fixture();
    const other = await seedDemo();
    expect((await list(other.apiKey)).data).toEqual([]);
    expect((await list(other.apiKey, `?chatbotId=${otherBot}`)).data).toEqual([]);
    expect((await list(other.apiKey, '?tag=vip')).data.map((c) => c.id)).not.toContain(ids.jan4);
  });

  it('refuses missing keys (401), keys without read (403) and bad queries (400 naming the fields)', async () => {
    const { demo } = await fixture();
    expect((await api.anonymous('/api/v1/conversations')).status).toBe(401);
    const chatOnly = await scopedKey(demo.teamId, ['chat']);
    expect((await api.get(chatOnly, '/api/v1/conversations')).status).toBe(403);
    const readOnly = await scopedKey(demo.teamId, ['read']);
    expect((await api.get(readOnly, '/api/v1/conversations')).status).toBe(200);

    const bad = await api.get(demo.apiKey, '/api/v1/conversations?status=open&limit=0&from=yesterday&tag=a%2Fb');
    expect(bad.status).toBe(400);
    expect(await errorFields(bad)).toEqual(['query.from', 'query.limit', 'query.status', 'query.tag']);
    const reversed = await api.get(demo.apiKey, '/api/v1/conversations?from=2026-02-01&to=2026-01-01');
    expect(reversed.status).toBe(400);
    expect(await errorFields(reversed)).toEqual(['query.to']);
    const cursor = await api.get(demo.apiKey, '/api/v1/conversations?cursor=nonsense');
    expect(cursor.status).toBe(400);
    expect(await errorFields(cursor)).toEqual(['query.cursor']);
  });
});

import { env } from 'cloudflare:test';
import { count, eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../../test/api-fixtures.ts';
import { seedDemo, startConversation } from '../../test/seed.ts';
import { database } from './client.ts';
import { conversations, conversationTags, eventLog, messages } from './schema/index.ts';
import { shardRouter, teamDatabase } from './shards.ts';

const rowsOf = async (db: D1Database, teamId: string) => {
  const d = database(db);
  const [c] = await d.select({ n: count() }).from(conversations).where(eq(conversations.teamId, teamId));
  const [m] = await d.select({ n: count() }).from(messages).where(eq(messages.teamId, teamId));
  const [t] = await d.select({ n: count() }).from(conversationTags).where(eq(conversationTags.teamId, teamId));
  const [e] = await d.select({ n: count() }).from(eventLog).where(eq(eventLog.teamId, teamId));
  return { conversations: c?.n ?? 0, messages: m?.n ?? 0, tags: t?.n ?? 0, events: e?.n ?? 0 };
};

/** A conversation with one turn, tagged, and its copies delivered by the queue. */
async function chatted(apiKey: string, chatbotId: string, teamId: string) {
  const id = await startConversation(apiKey, chatbotId);
  expect((await api.send(apiKey, 'POST', `/api/v1/conversations/${id}/messages`, { text: 'hello' })).status).toBe(201);
  expect((await api.send(apiKey, 'PUT', `/api/v1/conversations/${id}/tags`, { tags: ['vip'] })).status).toBe(200);
  await vi.waitFor(
    async () => {
      const rows = await teamDatabase(env, teamId).select().from(messages).where(eq(messages.conversationId, id));
      expect(rows).toHaveLength(2);
    },
    { timeout: 10_000, interval: 100 },
  );
  return id;
}

describe('two teams on two shards (DB_SHARD_00, DB_SHARD_01)', () => {
  it('keeps each team’s data plane in its own shard only: absent from the other shard and from DB', async () => {
    const a = await seedDemo();
    const b = await seedDemo();
    const router = shardRouter(env);
    expect(router.all().map((shard) => shard.name)).toEqual(['DB_SHARD_00', 'DB_SHARD_01']);
    expect(router.shardName(a.teamId)).not.toBe(router.shardName(b.teamId));
    const shardA = router.forTeam(a.teamId);
    const shardB = router.forTeam(b.teamId);

    const conversationA = await chatted(a.apiKey, a.chatbotId, a.teamId);
    await chatted(b.apiKey, b.chatbotId, b.teamId);

    expect(await rowsOf(shardA, a.teamId)).toEqual({ conversations: 1, messages: 2, tags: 1, events: 0 });
    expect(await rowsOf(shardB, b.teamId)).toEqual({ conversations: 1, messages: 2, tags: 1, events: 0 });
    const none = { conversations: 0, messages: 0, tags: 0, events: 0 };
    expect(await rowsOf(shardB, a.teamId)).toEqual(none);
    expect(await rowsOf(shardA, b.teamId)).toEqual(none);
    // The control plane holds no data-plane row of either team.
    expect(await rowsOf(env.DB, a.teamId)).toEqual(none);
    expect(await rowsOf(env.DB, b.teamId)).toEqual(none);

    // Through the API: B cannot see, read or tag A's conversation, and its lists do not hold it.
    expect((await api.get(b.apiKey, `/api/v1/conversations/${conversationA}`)).status).toBe(404);
    const listB = (await (await api.get(b.apiKey, '/api/v1/conversations')).json()) as { data: { id: string }[] };
    expect(listB.data.map((row) => row.id)).not.toContain(conversationA);
    const listA = (await (await api.get(a.apiKey, '/api/v1/conversations')).json()) as { data: { id: string }[] };
    expect(listA.data.map((row) => row.id)).toEqual([conversationA]);
  });
});

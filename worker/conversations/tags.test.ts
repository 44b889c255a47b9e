import { env } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api, errorFields, scopedKey } from '../../test/api-fixtures.ts';
import { seedDemo, startConversation } from '../../test/seed.ts';
import { conversationTags } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';

const tagsPath = (id: string) => `/api/v1/conversations/${id}/tags`;
const put = (key: string, id: string, body: unknown) => api.send(key, 'PUT', tagsPath(id), body);

describe('conversation tags', () => {
  it('replaces the set (deduplicated, sorted), keeps the date of tags that stay, and shows them on the conversation', async () => {
    const demo = await seedDemo();
    const id = await startConversation(demo.apiKey, demo.chatbotId);
    const created = await api.get(demo.apiKey, `/api/v1/conversations/${id}`);
    expect(((await created.json()) as { tags: string[] }).tags).toEqual([]);

    const first = await put(demo.apiKey, id, { tags: ['vip', 'lang:fr', ' vip ', 'Été 2026', 'a-b_c.d'] });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ tags: ['Été 2026', 'a-b_c.d', 'lang:fr', 'vip'].sort() });
    const db = teamDatabase(env, demo.teamId);
    const vipBefore = await db.query.conversationTags.findFirst({
      where: and(eq(conversationTags.conversationId, id), eq(conversationTags.tag, 'vip')),
    });

    const second = await put(demo.apiKey, id, { tags: ['vip', 'escalated'] });
    expect(await second.json()).toEqual({ tags: ['escalated', 'vip'] });
    const read = await api.get(demo.apiKey, tagsPath(id));
    expect(await read.json()).toEqual({ tags: ['escalated', 'vip'] });
    const rows = await db.select().from(conversationTags).where(eq(conversationTags.conversationId, id));
    expect(rows.map((row) => row.tag).sort()).toEqual(['escalated', 'vip']);
    expect(rows.find((row) => row.tag === 'vip')?.createdAt).toBe(vipBefore?.createdAt);

    const conversation = await api.get(demo.apiKey, `/api/v1/conversations/${id}`);
    expect(((await conversation.json()) as { tags: string[] }).tags).toEqual(['escalated', 'vip']);

    const cleared = await put(demo.apiKey, id, { tags: [] });
    expect(await cleared.json()).toEqual({ tags: [] });
    expect(await (await api.get(demo.apiKey, tagsPath(id))).json()).toEqual({ tags: [] });
  });

  it('refuses bad tags and too many of them, naming the fields', async () => {
    const demo = await seedDemo();
    const id = await startConversation(demo.apiKey, demo.chatbotId);
    const bad = await put(demo.apiKey, id, { tags: ['ok', '', 'x'.repeat(51), 'no/slash', 'no#hash'] });
    expect(bad.status).toBe(400);
    expect(await errorFields(bad)).toEqual(['body.tags.1', 'body.tags.2', 'body.tags.3', 'body.tags.4']);
    const many = await put(demo.apiKey, id, { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) });
    expect(many.status).toBe(400);
    expect(await errorFields(many)).toEqual(['body.tags']);
    const missing = await put(demo.apiKey, id, {});
    expect(await errorFields(missing)).toEqual(['body.tags']);
    expect(await (await api.get(demo.apiKey, tagsPath(id))).json()).toEqual({ tags: [] });
    const twenty = await put(demo.apiKey, id, { tags: Array.from({ length: 20 }, (_, i) => `t${i}`) });
    expect(twenty.status).toBe(200);
  });

  it('needs chat to write and read to read; another team gets 404; no key gets 401', async () => {
    const demo = await seedDemo();
    const id = await startConversation(demo.apiKey, demo.chatbotId);
    const readOnly = await scopedKey(demo.teamId, ['read']);
    const chatOnly = await scopedKey(demo.teamId, ['chat']);
    expect((await put(readOnly, id, { tags: ['x'] })).status).toBe(403);
    expect((await put(chatOnly, id, { tags: ['x'] })).status).toBe(200);
    expect((await api.get(chatOnly, tagsPath(id))).status).toBe(403);
    expect(await (await api.get(readOnly, tagsPath(id))).json()).toEqual({ tags: ['x'] });
    expect((await api.anonymous(tagsPath(id))).status).toBe(401);
    expect((await api.anonymous(tagsPath(id), 'PUT')).status).toBe(401);

    const other = await seedDemo();
    expect((await put(other.apiKey, id, { tags: ['mine'] })).status).toBe(404);
    expect((await api.get(other.apiKey, tagsPath(id))).status).toBe(404);
    expect(await (await api.get(demo.apiKey, tagsPath(id))).json()).toEqual({ tags: ['x'] });
  });
});

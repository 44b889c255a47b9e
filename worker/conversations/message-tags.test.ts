import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api, errorFields, scopedKey } from '../../test/api-fixtures.ts';
import { seedDemo, startConversation } from '../../test/seed.ts';
import { messageTags } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';

interface Listed {
  id: string;
  role: string;
  tags: string[];
}

const tagsPath = (conversationId: string, messageId: string) =>
  `/api/v1/conversations/${conversationId}/messages/${messageId}/tags`;

/** A conversation of the demo chatbot (offline provider) with one user message and its reply. */
async function conversationWithReply(apiKey: string, chatbotId: string) {
  const conversationId = await startConversation(apiKey, chatbotId);
  const sent = await api.send(apiKey, 'POST', `/api/v1/conversations/${conversationId}/messages`, { text: 'Hello' });
  expect(sent.status).toBe(201);
  const list = await api.get(apiKey, `/api/v1/conversations/${conversationId}/messages`);
  const { data } = (await list.json()) as { data: Listed[] };
  const [user, reply] = data;
  if (!user || !reply) throw new Error('expected a user message and a reply');
  return { conversationId, user, reply };
}

const listTags = async (apiKey: string, conversationId: string) => {
  const res = await api.get(apiKey, `/api/v1/conversations/${conversationId}/messages`);
  return ((await res.json()) as { data: Listed[] }).data.map((m) => [m.role, m.tags]);
};

describe('message tags', () => {
  it('replaces one message’s set (deduplicated, sorted) and shows it on that message only in the message list', async () => {
    const demo = await seedDemo();
    const { conversationId, user, reply } = await conversationWithReply(demo.apiKey, demo.chatbotId);
    expect(await listTags(demo.apiKey, conversationId)).toEqual([
      ['user', []],
      ['assistant', []],
    ]);

    const put = await api.send(demo.apiKey, 'PUT', tagsPath(conversationId, reply.id), {
      tags: ['hallucination', ' tone ', 'tone', 'Été'],
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ tags: ['hallucination', 'tone', 'Été'] });
    expect(await (await api.get(demo.apiKey, tagsPath(conversationId, reply.id))).json()).toEqual({
      tags: ['hallucination', 'tone', 'Été'],
    });
    expect(await (await api.get(demo.apiKey, tagsPath(conversationId, user.id))).json()).toEqual({ tags: [] });
    expect(await listTags(demo.apiKey, conversationId)).toEqual([
      ['user', []],
      ['assistant', ['hallucination', 'tone', 'Été']],
    ]);

    const replaced = await api.send(demo.apiKey, 'PUT', tagsPath(conversationId, reply.id), { tags: ['tone'] });
    expect(await replaced.json()).toEqual({ tags: ['tone'] });
    const rows = await teamDatabase(env, demo.teamId)
      .select()
      .from(messageTags)
      .where(eq(messageTags.messageId, reply.id));
    expect(rows.map((row) => [row.tag, row.teamId, row.conversationId])).toEqual([
      ['tone', demo.teamId, conversationId],
    ]);

    const cleared = await api.send(demo.apiKey, 'PUT', tagsPath(conversationId, reply.id), { tags: [] });
    expect(await cleared.json()).toEqual({ tags: [] });
    expect(await listTags(demo.apiKey, conversationId)).toEqual([
      ['user', []],
      ['assistant', []],
    ]);
  });

  it('refuses bad tags naming the fields, and a message that is not in the conversation with 404', async () => {
    const demo = await seedDemo();
    const { conversationId, reply } = await conversationWithReply(demo.apiKey, demo.chatbotId);
    const bad = await api.send(demo.apiKey, 'PUT', tagsPath(conversationId, reply.id), { tags: ['ok', 'no/slash'] });
    expect(bad.status).toBe(400);
    expect(await errorFields(bad)).toEqual(['body.tags.1']);
    const many = await api.send(demo.apiKey, 'PUT', tagsPath(conversationId, reply.id), {
      tags: Array.from({ length: 21 }, (_, i) => `t${i}`),
    });
    expect(await errorFields(many)).toEqual(['body.tags']);
    // Twenty tags is the most one message takes, and exactly D1's 100 bound parameters in the insert.
    const twenty = await api.send(demo.apiKey, 'PUT', tagsPath(conversationId, reply.id), {
      tags: Array.from({ length: 20 }, (_, i) => `t${i}`),
    });
    expect(twenty.status).toBe(200);

    const other = await conversationWithReply(demo.apiKey, demo.chatbotId);
    const elsewhere = await api.send(demo.apiKey, 'PUT', tagsPath(conversationId, other.reply.id), { tags: ['x'] });
    expect(elsewhere.status).toBe(404);
    expect(((await elsewhere.json()) as { error: { message: string } }).error.message).toBe('Message not found');
    const rows = await teamDatabase(env, demo.teamId)
      .select()
      .from(messageTags)
      .where(eq(messageTags.messageId, other.reply.id));
    expect(rows).toEqual([]);
  });

  it('needs chat to write and read to read; another team gets 404 and sees nothing', async () => {
    const demo = await seedDemo();
    const { conversationId, reply } = await conversationWithReply(demo.apiKey, demo.chatbotId);
    await api.send(demo.apiKey, 'PUT', tagsPath(conversationId, reply.id), { tags: ['kept'] });
    const reader = await scopedKey(demo.teamId, ['read']);
    const refused = await api.send(reader, 'PUT', tagsPath(conversationId, reply.id), { tags: ['x'] });
    expect(refused.status).toBe(403);
    expect(await (await api.get(reader, tagsPath(conversationId, reply.id))).json()).toEqual({ tags: ['kept'] });

    const other = await seedDemo();
    const foreignWrite = await api.send(other.apiKey, 'PUT', tagsPath(conversationId, reply.id), { tags: ['x'] });
    expect(foreignWrite.status).toBe(404);
    const foreignRead = await api.get(other.apiKey, tagsPath(conversationId, reply.id));
    expect(foreignRead.status).toBe(404);
    expect(await foreignRead.text()).not.toContain('kept');
  });
});

describe('finding conversations by tag', () => {
  it('the list’s tag filter matches a tag on the conversation or on any of its messages', async () => {
    const demo = await seedDemo();
    const byMessage = await conversationWithReply(demo.apiKey, demo.chatbotId);
    const byConversation = await startConversation(demo.apiKey, demo.chatbotId);
    const untagged = await startConversation(demo.apiKey, demo.chatbotId);
    await api.send(demo.apiKey, 'PUT', tagsPath(byMessage.conversationId, byMessage.reply.id), { tags: ['wrong'] });
    await api.send(demo.apiKey, 'PUT', `/api/v1/conversations/${byConversation}/tags`, { tags: ['wrong'] });

    const res = await api.get(demo.apiKey, '/api/v1/conversations?tag=wrong&includeEmpty=true');
    const ids = ((await res.json()) as { data: { id: string }[] }).data.map((c) => c.id);
    expect(ids.sort()).toEqual([byMessage.conversationId, byConversation].sort());
    expect(ids).not.toContain(untagged);

    const other = await seedDemo();
    const foreign = await api.get(other.apiKey, '/api/v1/conversations?tag=wrong&includeEmpty=true');
    expect(((await foreign.json()) as { data: unknown[] }).data).toEqual([]);
  });
});

describe('GET /api/v1/tags', () => {
  it('lists the team’s tags in code point order with their counts, page by page', async () => {
    const demo = await seedDemo();
    const first = await conversationWithReply(demo.apiKey, demo.chatbotId);
    const second = await startConversation(demo.apiKey, demo.chatbotId);
    await api.send(demo.apiKey, 'PUT', `/api/v1/conversations/${first.conversationId}/tags`, { tags: ['b', 'Z'] });
    await api.send(demo.apiKey, 'PUT', `/api/v1/conversations/${second}/tags`, { tags: ['b'] });
    await api.send(demo.apiKey, 'PUT', tagsPath(first.conversationId, first.reply.id), { tags: ['b', 'é', 'a'] });
    await api.send(demo.apiKey, 'PUT', tagsPath(first.conversationId, first.user.id), { tags: ['a'] });
    const other = await seedDemo();
    const otherConversation = await startConversation(other.apiKey, other.chatbotId);
    await api.send(other.apiKey, 'PUT', `/api/v1/conversations/${otherConversation}/tags`, { tags: ['secret'] });

    const reader = await scopedKey(demo.teamId, ['read']);
    const all = await api.get(reader, '/api/v1/tags');
    expect(all.status).toBe(200);
    expect(await all.json()).toEqual({
      data: [
        { tag: 'Z', conversations: 1, messages: 0 },
        { tag: 'a', conversations: 0, messages: 2 },
        { tag: 'b', conversations: 2, messages: 1 },
        { tag: 'é', conversations: 0, messages: 1 },
      ],
      nextCursor: null,
    });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = (await (await api.get(reader, `/api/v1/tags?limit=1${query}`)).json()) as {
        data: { tag: string }[];
        nextCursor: string | null;
      };
      expect(page.data).toHaveLength(1);
      seen.push(...page.data.map((t) => t.tag));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Z', 'a', 'b', 'é']);

    const bad = await api.get(reader, '/api/v1/tags?cursor=%%%');
    expect(bad.status).toBe(400);
    expect(await errorFields(bad)).toEqual(['query.cursor']);
  });
});

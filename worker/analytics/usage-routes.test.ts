import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api, errorFields, insertConversation, scopedKey } from '../../test/api-fixtures.ts';
import { addChatbot, seedDemo } from '../../test/seed.ts';
import type { ChatbotDefinition } from '../chatbots/definition.ts';
import { database } from '../db/client.ts';
import { chatbotVersions, messages } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';

interface Usage {
  from: string;
  to: string;
  data: {
    date: string;
    chatbotId: string;
    conversations: number;
    messages: { user: number; assistant: number };
    inputTokens: number;
    outputTokens: number;
  }[];
}

const at = (iso: string) => Date.parse(iso);

/** Adds analytics rows as the queue consumer would: a user message and its reply with token counts. */
async function addTurn(teamId: string, chatbotId: string, conversationId: string, position: number, time: number) {
  const base = { conversationId, teamId, chatbotId, status: 'complete' as const, metadata: {}, createdAt: time };
  await teamDatabase(env, teamId)
    .insert(messages)
    .values([
      { ...base, id: `msg_u${position}`, position, role: 'user', content: 'q' },
      {
        ...base,
        id: `msg_a${position}`,
        position: position + 1,
        role: 'assistant',
        content: 'a',
        inputTokens: 100,
        outputTokens: 7,
      },
    ]);
}

async function fixture() {
  const demo = await seedDemo();
  const version = await database(env.DB).query.chatbotVersions.findFirst({
    where: eq(chatbotVersions.chatbotId, demo.chatbotId),
  });
  const second = await addChatbot(demo.teamId, version?.definition as ChatbotDefinition);
  const day1 = await insertConversation(demo.teamId, demo.chatbotId, { createdAt: at('2025-03-10T08:00:00Z') });
  await addTurn(demo.teamId, demo.chatbotId, day1, 1, at('2025-03-10T08:00:01Z'));
  // The last millisecond of the 10th still counts for the 10th; the 11th starts at midnight UTC.
  await addTurn(demo.teamId, demo.chatbotId, day1, 3, at('2025-03-10T23:59:59.999Z'));
  await addTurn(demo.teamId, demo.chatbotId, day1, 5, at('2025-03-11T00:00:00Z'));
  const day2 = await insertConversation(demo.teamId, second, { createdAt: at('2025-03-11T12:00:00Z') });
  await addTurn(demo.teamId, second, day2, 1, at('2025-03-11T12:00:01Z'));
  await insertConversation(demo.teamId, second, { createdAt: at('2025-03-11T13:00:00Z') });
  const later = await insertConversation(demo.teamId, second, { createdAt: at('2025-03-12T00:00:00Z') });
  await addTurn(demo.teamId, second, later, 1, at('2025-03-12T00:00:00Z'));
  return { demo, second };
}

const usage = async (key: string, query: string) => {
  const res = await api.get(key, `/api/v1/usage${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Usage;
};

describe('GET /api/v1/usage', () => {
  it('sums conversations, messages and tokens per chatbot per UTC day, both bounds included', async () => {
    const { demo, second } = await fixture();
    const result = await usage(demo.apiKey, '?from=2025-03-10&to=2025-03-11');
    expect(result.from).toBe('2025-03-10');
    expect(result.to).toBe('2025-03-11');
    const row = (date: string, chatbotId: string) =>
      result.data.find((r) => r.date === date && r.chatbotId === chatbotId);
    expect(result.data).toHaveLength(3);
    expect(row('2025-03-10', demo.chatbotId)).toEqual({
      date: '2025-03-10',
      chatbotId: demo.chatbotId,
      conversations: 1,
      messages: { user: 2, assistant: 2 },
      inputTokens: 200,
      outputTokens: 14,
    });
    // Messages count on the day they were sent, even in a conversation started the day before.
    expect(row('2025-03-11', demo.chatbotId)).toMatchObject({ conversations: 0, messages: { user: 1, assistant: 1 } });
    expect(row('2025-03-11', second)).toMatchObject({
      conversations: 2,
      messages: { user: 1, assistant: 1 },
      inputTokens: 100,
      outputTokens: 7,
    });
    expect(result.data.map((r) => r.date)).toEqual([...result.data.map((r) => r.date)].sort());

    const one = await usage(demo.apiKey, `?from=2025-03-10&to=2025-03-12&chatbotId=${second}`);
    expect(one.data.map((r) => [r.date, r.chatbotId, r.conversations])).toEqual([
      ['2025-03-11', second, 2],
      ['2025-03-12', second, 1],
    ]);
  });

  it('defaults to the last 30 days through today', async () => {
    const { demo } = await fixture();
    const now = Date.now();
    await insertConversation(demo.teamId, demo.chatbotId, { createdAt: now });
    await insertConversation(demo.teamId, demo.chatbotId, { createdAt: now - 30 * 86_400_000 });
    const result = await usage(demo.apiKey, '');
    const today = new Date(now).toISOString().slice(0, 10);
    expect(result.to).toBe(today);
    expect(result.from).toBe(new Date(now - 29 * 86_400_000).toISOString().slice(0, 10));
    expect(result.data).toEqual([expect.objectContaining({ date: today, conversations: 1 })]);
  });

  it('refuses bad dates, reversed or over-long ranges (400), another team’s chatbot (404), no key, no read scope', async () => {
    const { demo, second } = await fixture();
    const bad = await api.get(demo.apiKey, '/api/v1/usage?from=2025-3-1&to=yesterday&chatbotId=');
    expect(bad.status).toBe(400);
    expect(await errorFields(bad)).toEqual(['query.chatbotId', 'query.from', 'query.to']);
    const reversed = await api.get(demo.apiKey, '/api/v1/usage?from=2025-03-11&to=2025-03-10');
    expect(await errorFields(reversed)).toEqual(['query.to']);
    const tooLong = await api.get(demo.apiKey, '/api/v1/usage?from=2024-01-01&to=2025-01-01');
    expect(tooLong.status).toBe(400);
    expect(await errorFields(tooLong)).toEqual(['query.from']);
    expect((await api.get(demo.apiKey, '/api/v1/usage?from=2024-01-01&to=2024-12-31')).status).toBe(200);

    const other = await seedDemo();
    expect((await api.get(other.apiKey, `/api/v1/usage?chatbotId=${second}`)).status).toBe(404);
    expect((await usage(other.apiKey, '?from=2025-03-10&to=2025-03-12')).data).toEqual([]);
    expect((await api.anonymous('/api/v1/usage')).status).toBe(401);
    expect((await api.get(await scopedKey(demo.teamId, ['chat']), '/api/v1/usage')).status).toBe(403);
  });
});

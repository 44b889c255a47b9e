import { env, SELF } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { eventually, telegramChat } from '../../test/channels/fixtures.ts';
import { authed, BASE, seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { conversations, conversationTags } from '../db/schema/index.ts';
import type { EventLogView } from './log-routes.ts';
import type { EventsSection } from './schemas.ts';

const log = (message: string) => [{ type: 'log' as const, message }];

const events: EventsSection = {
  triggers: [
    { id: 'started', on: 'conversation_started', actions: log('hello') },
    {
      id: 'on-telegram',
      on: 'user_message',
      conditions: { channels: ['telegram'] },
      actions: [{ type: 'tag', name: 'from-telegram' }],
    },
    { id: 'on-widget', on: 'user_message', conditions: { channels: ['widget'] }, actions: log('never') },
    {
      id: 'vip',
      on: 'user_message',
      conditions: { sessionState: { key: 'vip', equals: true } },
      actions: log('never: no session state'),
    },
    { id: 'replied', on: 'bot_message', actions: log('replied') },
    { id: 'ended-by-api', on: 'conversation_ended', by: ['api'], actions: log('bye') },
    { id: 'ended-by-admin', on: 'conversation_ended', by: ['admin'], actions: log('never: the API ended it') },
  ],
};

async function eventLog(apiKey: string, query: string): Promise<{ status: number; data: EventLogView[] }> {
  const res = await SELF.fetch(`${BASE}/api/v1/events/log?${query}`, authed(apiKey));
  const body = (await res.json()) as { data: EventLogView[] };
  return { status: res.status, data: body.data };
}

describe('static triggers, conditions and the event log', { timeout: 30_000 }, () => {
  it('fires each trigger once from its code path, filters by conditions, and logs every action', async () => {
    const chat = await telegramChat({ channelOptions: { streamEdits: false }, events });
    await chat.post('hi');
    await eventually(async () =>
      (await chat.messages()).some((m) => m.role === 'assistant' && m.status === 'complete') ? true : undefined,
    );
    await chat.stub().end(chat.meta);

    await vi.waitFor(
      async () => {
        const { data } = await eventLog(chat.apiKey, `conversationId=${chat.conversationId}`);
        expect(data.map((entry) => entry.trigger.id).sort()).toEqual([
          'ended-by-api',
          'on-telegram',
          'replied',
          'started',
        ]);
      },
      { timeout: 15_000, interval: 200 },
    );
    const { data } = await eventLog(chat.apiKey, `conversationId=${chat.conversationId}`);
    expect(data.every((entry) => entry.outcome === 'ok' && entry.attempt === 1)).toBe(true);
    expect(data.find((entry) => entry.trigger.id === 'started')).toMatchObject({
      action: 'log',
      detail: 'hello',
      trigger: { type: 'conversation_started' },
      conversationId: chat.conversationId,
    });
    expect(data.find((entry) => entry.trigger.id === 'on-telegram')).toMatchObject({ action: 'tag' });

    // The tag reached D1, and so did the ending (the object ended it: no route wrote the status).
    const db = database(env.DB);
    const tags = await db
      .select()
      .from(conversationTags)
      .where(and(eq(conversationTags.conversationId, chat.conversationId), eq(conversationTags.teamId, chat.teamId)));
    expect(tags.map((row) => row.tag)).toEqual(['from-telegram']);
    const row = await db.query.conversations.findFirst({ where: eq(conversations.id, chat.conversationId) });
    expect(row?.status).toBe('ended');

    // Filters, pagination and team scoping of the route.
    expect((await eventLog(chat.apiKey, `conversationId=${chat.conversationId}&outcome=error`)).data).toEqual([]);
    const byBot = await eventLog(chat.apiKey, `chatbotId=${chat.meta.chatbotId}&limit=2`);
    expect(byBot.data).toHaveLength(2);
    const other = await seedDemo();
    expect((await eventLog(other.apiKey, `conversationId=${chat.conversationId}`)).data).toEqual([]);
    const bad = await SELF.fetch(`${BASE}/api/v1/events/log?outcome=maybe`, authed(chat.apiKey));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('query.outcome');
  });

  it('refuses a definition whose actions name another team’s chatbot, naming the field', async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const current = await SELF.fetch(`${BASE}/api/v1/chatbots/${demo.chatbotId}`, authed(demo.apiKey));
    const { draft } = (await current.json()) as { draft: { definition: Record<string, unknown> } };
    const definition = {
      ...draft.definition,
      events: {
        triggers: [
          {
            id: 'handoff',
            on: 'user_message',
            actions: [{ type: 'start_pipeline', chatbotId: other.chatbotId, history: 'conversation' }],
          },
        ],
      },
    };
    const res = await SELF.fetch(
      `${BASE}/api/v1/chatbots/${demo.chatbotId}`,
      authed(demo.apiKey, { method: 'PATCH', body: JSON.stringify({ definition }) }),
    );
    const body = JSON.stringify(await res.json());
    expect(res.status).toBe(400);
    expect(body).toContain('events.triggers');
    expect(body).toContain('actions');
    expect(body).toContain('no chatbot of this team with this id');
  });
});

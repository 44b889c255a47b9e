import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { addChatbot, authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import { signIn, withSession } from '../auth/testing.ts';
import type { ChatbotDefinition } from '../chatbots/definition.ts';
import { database } from '../db/client.ts';
import { widgetKeys } from '../db/schema/index.ts';
import { pipeline } from '../pipelines/testing.ts';
import { openSession, widgetFetch } from '../widget/testing.ts';
import type { EndedBy, EventsSection } from './schemas.ts';
import { logOf, offlineBot } from './testing.ts';

/** One conversation_ended trigger per ender, each logging who it saw: exactly one of them may fire per ending. */
const enders: EndedBy[] = ['user', 'bot', 'api', 'event', 'admin'];
const endedTriggers: EventsSection['triggers'] = enders.map((by) => ({
  id: `by-${by}`,
  on: 'conversation_ended',
  by: [by],
  actions: [{ type: 'log', message: by }],
}));

const send = (apiKey: string, conversationId: string, text: string) =>
  SELF.fetch(
    `${BASE}/api/v1/conversations/${conversationId}/messages`,
    authed(apiKey, { method: 'POST', body: JSON.stringify({ text }) }),
  );

const status = async (apiKey: string, conversationId: string) =>
  (
    (await (await SELF.fetch(`${BASE}/api/v1/conversations/${conversationId}`, authed(apiKey))).json()) as {
      status: string;
    }
  ).status;

/** Issue 17 §1: "conversation ended (by user, bot, API, event or admin)", each through its own code path. */
describe('conversation_ended by who ended it', { timeout: 40_000 }, () => {
  it('tells an API key (api) from a person in the dashboard (admin)', async () => {
    const demo = await seedDemo();
    const chatbotId = await offlineBot(demo.teamId, { triggers: endedTriggers });

    const byKey = await startConversation(demo.apiKey, chatbotId);
    expect((await send(demo.apiKey, byKey, 'hello')).status).toBe(201);
    const ended = await SELF.fetch(
      `${BASE}/api/v1/conversations/${byKey}/end`,
      authed(demo.apiKey, { method: 'POST' }),
    );
    expect(ended.status).toBe(200);
    const apiLog = await logOf(demo.apiKey, byKey, 1);
    expect(apiLog.map((entry) => [entry.trigger.id, entry.detail])).toEqual([['by-api', 'api']]);

    const byPerson = await startConversation(demo.apiKey, chatbotId);
    expect((await send(demo.apiKey, byPerson, 'hello')).status).toBe(201);
    const session = await signIn(demo.ownerEmail, demo.ownerPassword);
    const res = await SELF.fetch(
      `${BASE}/api/v1/conversations/${byPerson}/end`,
      withSession(session, { method: 'POST' }, demo.teamId),
    );
    expect(res.status).toBe(200);
    const adminLog = await logOf(demo.apiKey, byPerson, 1);
    expect(adminLog.map((entry) => [entry.trigger.id, entry.detail])).toEqual([['by-admin', 'admin']]);
    // Ending again, by anyone, fires nothing more.
    await SELF.fetch(`${BASE}/api/v1/conversations/${byPerson}/end`, authed(demo.apiKey, { method: 'POST' }));
    await new Promise((done) => setTimeout(done, 1_500));
    expect(await logOf(demo.apiKey, byPerson, 1)).toHaveLength(1);
  });

  it('tells an end_conversation action (event) from a pipeline that ends it (bot)', async () => {
    const demo = await seedDemo();
    const byAction = await offlineBot(demo.teamId, {
      triggers: [{ id: 'closer', on: 'user_message', actions: [{ type: 'end_conversation' }] }, ...endedTriggers],
    });
    const eventConversation = await startConversation(demo.apiKey, byAction);
    await send(demo.apiKey, eventConversation, 'goodbye');
    const eventLog = await logOf(demo.apiKey, eventConversation, 2);
    expect(eventLog.map((entry) => entry.trigger.id).sort()).toEqual(['by-event', 'closer']);
    expect(eventLog.find((entry) => entry.trigger.id === 'by-event')?.detail).toBe('event');
    expect(await status(demo.apiKey, eventConversation)).toBe('ended');

    // A v2 pipeline whose end_conversation node runs on every message: the bot ends it.
    const definition = pipeline(
      [
        ['start', 'start'],
        ['bye', 'end_conversation', { reason: 'resolved' }],
        ['end', 'end'],
      ],
      ['start - bye', 'bye - end'],
      { events: { triggers: endedTriggers } },
    );
    const byPipeline = await addChatbot(demo.teamId, definition as unknown as ChatbotDefinition);
    const botConversation = await startConversation(demo.apiKey, byPipeline);
    expect((await send(demo.apiKey, botConversation, 'all sorted, thanks')).status).toBe(201);
    const botLog = await logOf(demo.apiKey, botConversation, 1);
    expect(botLog.map((entry) => [entry.trigger.id, entry.detail])).toEqual([['by-bot', 'bot']]);
    expect(await status(demo.apiKey, botConversation)).toBe('ended');
  });
  it('tells the widget user ending their conversation (user), who then cannot write to it', async () => {
    const demo = await seedDemo();
    const chatbotId = await offlineBot(demo.teamId, { triggers: endedTriggers });
    await database(env.DB).update(widgetKeys).set({ chatbotId }).where(eq(widgetKeys.key, demo.widgetKey));
    const session = await openSession({ widgetKey: demo.widgetKey });
    const path = `/conversations/${session.conversationId}`;
    const message = (text: string) =>
      widgetFetch(`${path}/messages`, session.token, {
        method: 'POST',
        body: JSON.stringify({ text, clientMessageId: crypto.randomUUID() }),
      });
    expect((await message('hello')).status).toBe(202);
    const ended = await widgetFetch(`${path}/end`, session.token, { method: 'POST' });
    expect(ended.status).toBe(200);
    expect(await ended.json()).toEqual({ ended: true });
    const log = await logOf(demo.apiKey, session.conversationId, 1);
    expect(log.map((entry) => [entry.trigger.id, entry.detail])).toEqual([['by-user', 'user']]);
    expect(await status(demo.apiKey, session.conversationId)).toBe('ended');
    expect((await message('still there?')).status).toBeGreaterThanOrEqual(400);
    // Another conversation's token cannot end this one (404, as for every widget route: existence is not told).
    const other = await openSession({ widgetKey: demo.widgetKey });
    expect((await widgetFetch(`${path}/end`, other.token, { method: 'POST' })).status).toBe(404);
  });
});

/**
 * The templates end to end: created through the API, published, and talked to through the real conversation
 * Durable Object (REST and a Telegram channel on its fake Bot API), on the offline provider so no key is needed.
 * The offline "model" restates the user's message, so an LLM node's answer is recognisable by its quote.
 */
import { SELF } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { settledConversation } from '../../test/channels/webhook-helpers.ts';
import { authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import { postChannel, telegramChannel } from '../channels/testing.ts';
import { call } from '../chatbots/testing.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';

/** A published chatbot made from `templateId` by the API, in a fresh demo team. */
async function templateBot(templateId: string) {
  const demo = await seedDemo();
  const created = await call(demo.apiKey, 'POST', '/api/v1/chatbots', { name: `${templateId} bot`, templateId });
  expect(created.status).toBe(201);
  const chatbotId = (created.body as { id: string }).id;
  const published = await call(demo.apiKey, 'POST', `/api/v1/chatbots/${chatbotId}/versions`, { note: 'template' });
  expect(published.status).toBe(201);
  return { ...demo, chatbotId };
}

/** Sends `text` (JSON, waits for the turn) and returns the bot messages of that turn, in order. */
async function turn(apiKey: string, conversationId: string, text: string): Promise<string[]> {
  const res = await SELF.fetch(
    `${BASE}/api/v1/conversations/${conversationId}/messages`,
    authed(apiKey, { method: 'POST', body: JSON.stringify({ text }), headers: { accept: 'application/json' } }),
  );
  expect(res.status).toBe(201);
  const list = await SELF.fetch(`${BASE}/api/v1/conversations/${conversationId}/messages`, authed(apiKey));
  const messages = ((await list.json()) as { data: ConversationMessage[] }).data;
  const asked = messages.filter((m) => m.role === 'user' && m.content === text).at(-1);
  expect(asked).toBeDefined();
  return messages
    .filter((m) => m.role === 'assistant' && m.turnId === asked?.turnId)
    .map((m) => {
      expect(m.status).toBe('complete');
      return m.content;
    });
}

const quotes = (reply: string | undefined, text: string) => expect(reply).toContain(`“${text}”`);

describe('the triage template', () => {
  it('acknowledges an urgent message without the LLM, and answers a routine one with it', async () => {
    const bot = await templateBot('triage');
    const conversationId = await startConversation(bot.apiKey, bot.chatbotId);
    const urgent = await turn(bot.apiKey, conversationId, 'URGENT: our checkout is down!!');
    expect(urgent).toHaveLength(1);
    expect(urgent[0]).toMatch(/^This sounds urgent, so I have alerted our on-call team/);
    const routine = await turn(bot.apiKey, conversationId, 'How do I change my password?');
    expect(routine).toHaveLength(1);
    quotes(routine[0], 'How do I change my password?');
  });
});

describe('the FAQ template', () => {
  it('answers with exactly one message per question: a topic LLM or the fixed fallback', async () => {
    const bot = await templateBot('faq');
    const conversationId = await startConversation(bot.apiKey, bot.chatbotId);
    for (const question of ['How do refunds work?', 'Tell me a joke']) {
      const replies = await turn(bot.apiKey, conversationId, question);
      expect(replies).toHaveLength(1);
      const fallback = replies[0]?.startsWith('I can answer questions about billing and shipping') ?? false;
      // The offline router cannot read; whichever route it takes, the reply is that route's and only that.
      if (!fallback) quotes(replies[0], question);
    }
  });
});

describe('the intake template', () => {
  it('asks for what is missing, one LLM question per turn', async () => {
    const bot = await templateBot('intake');
    const conversationId = await startConversation(bot.apiKey, bot.chatbotId);
    // The offline model extracts nothing (the schema requires nothing), so the name is asked for; its reply quotes
    // the ask node's prompt, which names the field.
    const first = await turn(bot.apiKey, conversationId, 'hello there');
    expect(first).toHaveLength(1);
    quotes(first[0], 'Reply to my last message, then ask me for my name.');
  });
});

describe('a template behind a messaging channel', () => {
  it('answers a Telegram message through the triage pipeline, and the fake Bot API receives the acknowledgement', async () => {
    const bot = await templateBot('triage');
    const { body, webhookSecret } = telegramChannel(bot.chatbotId);
    const channel = await postChannel(bot.apiKey, body);
    expect(channel.status).toBe(201);
    const chat = 7_000_000 + Math.floor(Math.random() * 1_000_000);
    const text = `Security breach on account ${chat}, urgent!`;
    const update = JSON.stringify({
      update_id: chat,
      message: {
        message_id: 1,
        date: 1_700_000_000,
        chat: { id: chat, type: 'private' },
        from: { id: chat, is_bot: false, first_name: 'Ada' },
        text,
      },
    });
    const res = await SELF.fetch(`${BASE}/webhooks/telegram/${channel.json.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': webhookSecret },
      body: update,
    });
    expect(res.status).toBe(200);
    const settled = await settledConversation(channel.json.id, String(chat));
    const replies = settled.messages.filter((m) => m.role === 'assistant').map((m) => m.content);
    expect(replies).toEqual([expect.stringMatching(/^This sounds urgent/)]);
    // The channel delivered it: the fake Bot API logged a sendMessage to this chat with the text.
    const deadline = Date.now() + 10_000;
    let sent: { path: string; body: Record<string, unknown> }[] = [];
    while (Date.now() < deadline) {
      const log = await fetch(`${inject('fakeServers').telegram}/__requests?contains=${chat}`);
      sent = ((await log.json()) as typeof sent).filter((r) => r.path.endsWith('/sendMessage'));
      if (sent.length) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(sent.map((r) => String(r.body.text))).toEqual([expect.stringMatching(/^This sounds urgent/)]);
  }, 30_000);
});

import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { addChatbot, authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import { simpleDefinition } from '../chatbots/definition.ts';
import type { ConversationMessage } from './protocol.ts';

const offline = {
  providerId: 'offline',
  credentialId: null,
  model: 'offline-echo',
  systemPrompt: '',
  parameters: {},
  tools: [],
  maxToolSteps: 1,
};

async function burst(apiKey: string, conversationId: string, texts: string[]) {
  const send = (text: string) =>
    SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/messages`,
      authed(apiKey, { method: 'POST', body: JSON.stringify({ text }) }),
    );
  // The first message starts a turn; the rest arrive while it is running.
  const first = send(texts[0] as string);
  await new Promise((resolve) => setTimeout(resolve, 50));
  // Sent 20 ms apart: concurrent requests may reach the object in any order, and the assertions name the last one.
  const rest: Promise<Response>[] = [];
  for (const text of texts.slice(1)) {
    rest.push(send(text));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return (await Promise.all([first, ...rest]).then((responses) => Promise.all(responses.map((r) => r.json())))) as {
    message: ConversationMessage;
    reply: ConversationMessage;
  }[];
}

describe('burst policy', () => {
  it('merge: messages that arrive while a turn is pending are answered together by one reply', async () => {
    const demo = await seedDemo();
    const chatbotId = await addChatbot(demo.teamId, simpleDefinition(offline, { burstPolicy: 'merge' }));
    const conversationId = await startConversation(demo.apiKey, chatbotId);
    const results = await burst(demo.apiKey, conversationId, ['one', 'two', 'three']);
    const replies = new Set(results.map((r) => r.reply.id));
    expect(replies.size).toBe(2);
    expect(results[1]?.reply.id).toBe(results[2]?.reply.id);
    expect(results[2]?.reply.content).toContain('“three”');
    const list = await SELF.fetch(`${BASE}/api/v1/conversations/${conversationId}/messages`, authed(demo.apiKey));
    const { data } = (await list.json()) as { data: ConversationMessage[] };
    expect(data.filter((m) => m.role === 'assistant')).toHaveLength(2);
  });

  it('queue (default): every message gets its own reply, in order', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const results = await burst(demo.apiKey, conversationId, ['one', 'two', 'three']);
    expect(new Set(results.map((r) => r.reply.id)).size).toBe(3);
    for (const [i, result] of results.entries())
      expect(result.reply.content).toContain(`“${['one', 'two', 'three'][i]}”`);
    // 'two' and 'three' are sent together, so either may be accepted first; replies follow acceptance order.
    const byAcceptance = [...results].sort((a, b) => a.message.position - b.message.position);
    const completedAt = byAcceptance.map((r) => r.reply.completedAt ?? 0);
    expect(completedAt).toEqual([...completedAt].sort((a, b) => a - b));
    expect(new Set(completedAt).size).toBe(3);
  });
});

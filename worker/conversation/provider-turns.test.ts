import { SELF } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { addChatbot, authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import { parseSse } from '../../test/sse.ts';
import { simpleDefinition } from '../chatbots/definition.ts';
import type { ConversationEvent, ConversationMessage } from './protocol.ts';

/** A chatbot on the real OpenAI plugin and SDK, pointed at the fake OpenAI server. */
async function openaiChatbot(
  teamId: string,
  model: string,
  extra: { tools?: string[]; firstTokenTimeoutMs?: number } = {},
) {
  const credentialId = `cred_${crypto.randomUUID()}`;
  const definition = simpleDefinition({
    providerId: 'openai',
    credentialId,
    model,
    systemPrompt: 'Be brief.',
    parameters: {},
    tools: extra.tools ?? [],
    maxToolSteps: 3,
    ...(extra.firstTokenTimeoutMs && { firstTokenTimeoutMs: extra.firstTokenTimeoutMs }),
  });
  return addChatbot(teamId, definition, {
    id: credentialId,
    providerId: 'openai',
    settings: { baseUrl: inject('fakeServers').openai, maxRetries: 1 },
    secrets: { apiKey: 'test-key' },
  });
}

async function converse(apiKey: string, chatbotId: string, text: string): Promise<ConversationEvent[]> {
  const conversationId = await startConversation(apiKey, chatbotId);
  const res = await SELF.fetch(
    `${BASE}/api/v1/conversations/${conversationId}/messages`,
    authed(apiKey, { method: 'POST', body: JSON.stringify({ text }), headers: { accept: 'text/event-stream' } }),
  );
  return parseSse(await res.text());
}

const reply = (events: ConversationEvent[]) =>
  events.flatMap((e) =>
    e.type === 'message.completed' && e.message.role === 'assistant' ? [e.message] : [],
  )[0] as ConversationMessage;

describe('turns through a real provider plugin', () => {
  it('runs the tool-calling loop: the model asks, the tool runs, the model answers with the result', async () => {
    const demo = await seedDemo();
    const chatbotId = await openaiChatbot(demo.teamId, 'fake-tool', { tools: ['clock'] });
    const events = await converse(demo.apiKey, chatbotId, 'Europe/Paris');
    const call = events.find((e) => e.type === 'tool.call');
    const result = events.find((e) => e.type === 'tool.result');
    expect(call).toMatchObject({ call: { name: 'current_time' } });
    expect(call?.type === 'tool.call' && JSON.parse(call.call.arguments)).toEqual({ timeZone: 'Europe/Paris' });
    expect(result).toMatchObject({ name: 'current_time', ok: true });
    expect(result?.type === 'tool.result' && JSON.parse(result.output)).toMatchObject({ timeZone: 'Europe/Paris' });
    const message = reply(events);
    expect(message.status).toBe('complete');
    expect(message.content).toContain('Tool current_time returned');
    expect(message.metadata.tools).toHaveLength(1);
    // Usage is summed over both model calls.
    expect(message.usage?.inputTokens).toBeGreaterThan(0);
    expect(message.usage?.outputTokens).toBeGreaterThan(0);
  });

  it('retries a 429 and answers', async () => {
    const demo = await seedDemo();
    const chatbotId = await openaiChatbot(demo.teamId, 'fake-429-once');
    const message = reply(await converse(demo.apiKey, chatbotId, `retry me ${crypto.randomUUID()}`));
    expect(message.status).toBe('complete');
    expect(message.content).toContain('retry me');
  });

  it('ends the turn with a stored error when no first token arrives in time, and stays usable', async () => {
    const demo = await seedDemo();
    const chatbotId = await openaiChatbot(demo.teamId, 'fake-slow', { firstTokenTimeoutMs: 1_000 });
    const conversationId = await startConversation(demo.apiKey, chatbotId);
    const send = (text: string) =>
      SELF.fetch(
        `${BASE}/api/v1/conversations/${conversationId}/messages`,
        authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ text }) }),
      );
    const first = (await (await send('hello')).json()) as { reply: ConversationMessage };
    expect(first.reply).toMatchObject({ status: 'error', error: { code: 'first_token_timeout' } });
    const second = (await (await send('again')).json()) as { reply: ConversationMessage };
    expect(second.reply.status).toBe('error');
    const list = await SELF.fetch(`${BASE}/api/v1/conversations/${conversationId}/messages`, authed(demo.apiKey));
    const { data } = (await list.json()) as { data: ConversationMessage[] };
    expect(data.map((m) => `${m.role}:${m.status}`)).toEqual([
      'user:complete',
      'assistant:error',
      'user:complete',
      'assistant:error',
    ]);
  });

  it('stores a readable provider error for a 4xx, never the key', async () => {
    const demo = await seedDemo();
    const chatbotId = await openaiChatbot(demo.teamId, 'fake-400');
    const events = await converse(demo.apiKey, chatbotId, 'too long');
    const error = events.find((e) => e.type === 'error');
    expect(error).toMatchObject({ error: { code: 'provider_error' } });
    expect(error?.type === 'error' && error.error.message).toMatch(/400/);
    expect(JSON.stringify(events)).not.toContain('test-key');
    expect(reply(events).status).toBe('error');
  });
});

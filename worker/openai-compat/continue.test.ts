import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { offlineReply } from '../../plugins/providers/offline/reply.ts';
import { addChatbot, authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import { simpleDefinition } from '../chatbots/definition.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { openaiClient, rejection } from './testing.ts';

const HEADER = 'X-Parley-Conversation-Id';

async function stored(apiKey: string, conversationId: string): Promise<ConversationMessage[]> {
  const res = await SELF.fetch(`${BASE}/api/v1/conversations/${conversationId}/messages`, authed(apiKey));
  return ((await res.json()) as { data: ConversationMessage[] }).data;
}

describe('POST /v1/chat/completions with X-Parley-Conversation-Id (continue mode)', () => {
  it('sends only the last user message to the stored conversation and answers in OpenAI format', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const client = openaiClient(demo.apiKey);
    const { data: first, response } = await client.chat.completions
      .create(
        { model: 'demo', messages: [{ role: 'user', content: 'First question' }] },
        { headers: { [HEADER]: conversationId } },
      )
      .withResponse();
    expect(response.headers.get('x-parley-conversation-id')).toBe(conversationId);
    expect(first.object).toBe('chat.completion');
    expect(first.model).toBe('demo');
    const messages = await stored(demo.apiKey, conversationId);
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'First question'],
      ['assistant', first.choices[0]?.message.content],
    ]);
    expect(first.id).toBe(`chatcmpl-${messages[1]?.id}`);
    expect(first.usage?.completion_tokens).toBe(messages[1]?.usage?.outputTokens);

    // The client resends its history, as OpenAI clients do; only the newest user message is new to Parley.
    const second = await client.chat.completions.create(
      {
        model: 'demo',
        messages: [
          { role: 'system', content: 'ignored: the chatbot version answers' },
          { role: 'user', content: 'First question' },
          { role: 'assistant', content: first.choices[0]?.message.content ?? '' },
          { role: 'user', content: 'Second question' },
        ],
      },
      { headers: { [HEADER]: conversationId } },
    );
    // The offline provider counts the user messages of the stored conversation: the second one.
    expect(second.choices[0]?.message.content).toContain('(message 2 of this conversation)');
    const after = await stored(demo.apiKey, conversationId);
    expect(after.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(after[2]?.content).toBe('Second question');
  });

  it("streams the conversation's reply as chunks with usage and ends with [DONE]", async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const stream = await openaiClient(demo.apiKey).chat.completions.create(
      {
        model: 'demo@1',
        messages: [{ role: 'user', content: 'Stream it' }],
        stream: true,
        stream_options: { include_usage: true },
      },
      { headers: { [HEADER]: conversationId } },
    );
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(offlineReply([{ role: 'user', content: 'Stream it' }]));
    expect(chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.finish_reason)).filter(Boolean)).toEqual([
      'stop',
    ]);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBeGreaterThan(10);
    const messages = await stored(demo.apiKey, conversationId);
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Stream it'],
      ['assistant', text],
    ]);

    const raw = await SELF.fetch(`${BASE}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demo.apiKey}`, 'content-type': 'application/json', [HEADER]: conversationId },
      body: JSON.stringify({ model: 'demo', messages: [{ role: 'user', content: 'again' }], stream: true }),
    });
    expect((await raw.text()).endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it("answers 404 for another team's conversation and 400 for another chatbot's or a malformed id", async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const otherConversation = await startConversation(other.apiKey, other.chatbotId);
    const client = openaiClient(demo.apiKey);
    const ask = (conversationId: string, model = 'demo') =>
      client.chat.completions.create(
        { model, messages: [{ role: 'user', content: 'hi' }] },
        { headers: { [HEADER]: conversationId } },
      );
    const foreign = await rejection(ask(otherConversation));
    expect([foreign.status, foreign.code]).toEqual([404, 'conversation_not_found']);
    expect(await stored(other.apiKey, otherConversation)).toEqual([]);

    const definition = simpleDefinition({
      providerId: 'offline',
      credentialId: null,
      model: 'offline-echo',
      systemPrompt: '',
      parameters: {},
      tools: [],
      maxToolSteps: 1,
    });
    const secondBot = await addChatbot(demo.teamId, definition);
    const conversationId = await startConversation(demo.apiKey, secondBot);
    const mismatch = await rejection(ask(conversationId));
    expect([mismatch.status, mismatch.code]).toEqual([400, 'conversation_model_mismatch']);
    expect(await stored(demo.apiKey, conversationId)).toEqual([]);

    const malformed = await rejection(ask('not-a-conversation'));
    expect([malformed.status, malformed.param]).toEqual([400, 'header.x-parley-conversation-id']);
  });

  it('answers a retry with the same Idempotency-Key with the original reply instead of a new turn', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const client = openaiClient(demo.apiKey);
    const send = () =>
      client.chat.completions.create(
        { model: 'demo', messages: [{ role: 'user', content: 'Only once' }] },
        { headers: { [HEADER]: conversationId, 'Idempotency-Key': 'retry-1' } },
      );
    const first = await send();
    const again = await send();
    expect(again.id).toBe(first.id);
    expect(again.choices[0]?.message.content).toBe(first.choices[0]?.message.content);
    expect((await stored(demo.apiKey, conversationId)).map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('answers 400 when the messages hold no user message', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const error = await rejection(
      openaiClient(demo.apiKey).chat.completions.create(
        { model: 'demo', messages: [{ role: 'system', content: 'only a system message' }] },
        { headers: { [HEADER]: conversationId } },
      ),
    );
    expect([error.status, error.param]).toEqual([400, 'messages']);
  });
});

import { SELF } from 'cloudflare:test';
import { expect, it } from 'vitest';
import { addChatbot, authed, BASE, seedDemo } from '../../test/seed.ts';
import type { ChatbotDefinition } from '../chatbots/definition.ts';

it('refuses a stateless completion of a pipeline chatbot with a 400 naming the model, not a 500', async () => {
  const demo = await seedDemo();
  const pipeline = {
    schemaVersion: 2,
    nodes: [
      { id: 'start', kind: 'start', settings: {} },
      { id: 'hi', kind: 'reply', settings: { text: 'Hello' } },
      { id: 'end', kind: 'end', settings: { reply: false } },
    ],
    edges: [
      { from: 'start', to: 'hi' },
      { from: 'hi', to: 'end' },
    ],
    settings: { burstPolicy: 'queue', welcomeMessage: '', starterQuestions: [] },
  };
  // addChatbot is typed for v1 definitions; the column stores either format.
  const bot = await addChatbot(demo.teamId, pipeline as unknown as ChatbotDefinition);
  const res = await SELF.fetch(
    `${BASE}/v1/chat/completions`,
    authed(demo.apiKey, {
      method: 'POST',
      body: JSON.stringify({ model: bot, messages: [{ role: 'user', content: 'Hi' }] }),
    }),
  );
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({ error: { code: 'unsupported_model', param: 'model' } });
});

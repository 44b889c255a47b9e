/// <reference types="node" />
/**
 * Pipeline smoke under a real `wrangler dev` (e2e/harness.ts): creates a chatbot from each template through the
 * API, publishes it and talks to it over REST. Unlike vitest's pool, wrangler dev refuses `eval` and `new Function`
 * as production does, so this is where the libraries the pipeline nodes run on prove they work in a Worker:
 * @huggingface/jinja (template node), QuickJS in WebAssembly (code node), @cfworker/json-schema (structured output
 * of update_participant_data / llm_router), the email sink (send_email) and the resend email sender against its fake
 * API (plugins/email/resend/fake/server.ts, started here on 127.0.0.1). Offline provider: no keys, no network.
 * Usage: `tsx e2e/pipelines.e2e.ts` (part of `npm run test:e2e`; no browser needed).
 */
import assert from 'node:assert/strict';
import {
  API_KEY as RESEND_KEY,
  type SentEmail,
  start as startFakeResend,
} from '../plugins/email/resend/fake/server.ts';
import { startHarness } from './harness.ts';
import { stepRunner } from './steps.ts';

const harness = await startHarness();
const { step, tally } = stepRunner();

interface Message {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  status: string;
  turnId: string;
}

async function api<T>(method: string, path: string, body?: unknown, expected = [200, 201]): Promise<T> {
  const res = await fetch(`${harness.api}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${harness.apiKey}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  assert.ok(expected.includes(res.status), `${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** A published chatbot from `templateId`, with a conversation open on it. */
async function conversationWith(templateId: string): Promise<string> {
  const bot = await api<{ id: string }>('POST', '/api/v1/chatbots', { name: `${templateId} (e2e)`, templateId });
  await api('POST', `/api/v1/chatbots/${bot.id}/versions`, { note: 'e2e' });
  return (await api<{ id: string }>('POST', '/api/v1/conversations', { chatbotId: bot.id })).id;
}

/** Sends `text`, waits for the turn, returns that turn's bot messages in order. */
async function turn(conversationId: string, text: string): Promise<string[]> {
  await api('POST', `/api/v1/conversations/${conversationId}/messages`, { text });
  const { data } = await api<{ data: Message[] }>('GET', `/api/v1/conversations/${conversationId}/messages`);
  const asked = data.filter((m) => m.role === 'user' && m.content === text).at(-1);
  assert.ok(asked, `the message "${text}" is stored`);
  const replies = data.filter((m) => m.role === 'assistant' && m.turnId === asked.turnId);
  for (const reply of replies) assert.equal(reply.status, 'complete', `reply ${reply.id} is ${reply.status}`);
  return replies.map((m) => m.content);
}

await step('the template list has the three pipelines', async () => {
  const { data } = await api<{ data: { id: string }[] }>('GET', '/api/v1/chatbot-templates');
  assert.deepEqual(
    data.map((t) => t.id),
    ['faq', 'intake', 'triage'],
  );
});

await step(
  'triage: the code node (QuickJS) scores an urgent message, the template node (jinja) acknowledges it',
  async () => {
    const conversationId = await conversationWith('triage');
    const started = Date.now();
    const urgent = await turn(conversationId, 'URGENT: our checkout is down!!');
    console.log(`  urgent turn with a cold code sandbox: ${Date.now() - started} ms`);
    assert.equal(urgent.length, 1);
    assert.match(urgent[0] ?? '', /^This sounds urgent, so I have alerted our on-call team/);
    const warm = Date.now();
    const routine = await turn(conversationId, 'How do I change my password?');
    console.log(`  routine turn with a warm code sandbox: ${Date.now() - warm} ms`);
    assert.equal(routine.length, 1);
    assert.ok(routine[0]?.includes('“How do I change my password?”'), String(routine[0]));
  },
);

await step('faq: the LLM router (structured output) picks one route and exactly one reply comes back', async () => {
  const conversationId = await conversationWith('faq');
  for (const question of ['How do refunds work?', 'Tell me a joke']) {
    const replies = await turn(conversationId, question);
    assert.equal(replies.length, 1, JSON.stringify(replies));
    const text = replies[0] ?? '';
    assert.ok(text.startsWith('I can answer questions about billing') || text.includes(`“${question}”`), text);
  }
});

await step(
  'intake: update_participant_data (structured output, JSON Schema) runs, and the LLM asks a question',
  async () => {
    const conversationId = await conversationWith('intake');
    const replies = await turn(conversationId, 'hello there');
    assert.equal(replies.length, 1, JSON.stringify(replies));
    // The offline model extracts nothing, so ask_name runs; its reply quotes that node's prompt.
    assert.ok(replies[0]?.includes('“Reply to my last message, then ask me for my name.”'), String(replies[0]));
  },
);

await step('tool node: calls builtin:calculator with a templated argument under wrangler dev (no eval)', async () => {
  const definition = {
    schemaVersion: 2,
    nodes: [
      { id: 'start', kind: 'start', settings: {} },
      { id: 'calc', kind: 'tool', settings: { tool: 'builtin:calculator', arguments: { expression: '{{ input }}' } } },
      { id: 'say', kind: 'template', settings: { template: 'That is {{ input.result }}.' } },
      { id: 'end', kind: 'end', settings: {} },
    ],
    edges: [
      { from: 'start', to: 'calc' },
      { from: 'calc', to: 'say' },
      { from: 'say', to: 'end' },
    ],
    settings: { burstPolicy: 'queue', welcomeMessage: '', starterQuestions: [] },
  };
  const bot = await api<{ id: string }>('POST', '/api/v1/chatbots', { name: 'Calculator (e2e)' });
  await api('PATCH', `/api/v1/chatbots/${bot.id}`, { definition });
  await api('POST', `/api/v1/chatbots/${bot.id}/versions`, { note: 'e2e' });
  const conversationId = (await api<{ id: string }>('POST', '/api/v1/conversations', { chatbotId: bot.id })).id;
  assert.deepEqual(await turn(conversationId, '(2 + 3) * 4 ^ 2'), ['That is 80.']);
});

// Last: from here on the seeded team sends through resend instead of the local sink.
await step(
  'triage + resend: the escalation email reaches the team’s resend sender (fake API on 127.0.0.1)',
  async () => {
    const resend = await startFakeResend();
    try {
      await api('POST', '/api/v1/plugin-configs', {
        pluginId: 'resend',
        settings: { apiKey: RESEND_KEY, from: 'Acme Support <support@acme.test>', baseUrl: resend.url },
      });
      const conversationId = await conversationWith('triage');
      const text = `URGENT: the payment page is down!! ${crypto.randomUUID()}`;
      const replies = await turn(conversationId, text);
      assert.match(replies[0] ?? '', /^This sounds urgent, so I have alerted our on-call team/);
      const res = await fetch(`${resend.url}/__requests?contains=${encodeURIComponent(text)}`);
      const sent = (await res.json()) as SentEmail[];
      assert.equal(sent.length, 1, JSON.stringify(sent));
      assert.equal(sent[0]?.authorization, `Bearer ${RESEND_KEY}`);
      assert.deepEqual(sent[0]?.body.to, ['oncall@example.com']);
      assert.equal(sent[0]?.body.from, 'Acme Support <support@acme.test>');
      assert.ok(String(sent[0]?.body.text).includes(text), String(sent[0]?.body.text));
      assert.ok(sent[0]?.idempotencyKey, 'an Idempotency-Key header was sent');
    } finally {
      await resend.close();
    }
  },
);

await harness.stop();
console.log(`\n${tally.passed} passed, ${tally.failed} failed`);
if (tally.failed > 0) process.exitCode = 1;

/// <reference types="node" />
/**
 * Custom-actions smoke under a real `wrangler dev` (e2e/harness.ts), which refuses `eval` and `new Function` as
 * production does: the spec is parsed and validated (yaml, @cfworker/json-schema against the OpenAPI schemas), the
 * model's arguments checked and the request built there, with no code generation. An action is created over the API
 * from a YAML spec, a chatbot on the OpenAI plugin (pointed at its fake's `fake-script` model) names it, and a turn's
 * tool loop calls two operations against the fake OpenAPI service (worker/custom-actions/fake/server.ts), one with
 * the sealed API key, and one answering a PDF, which becomes a file of the reply, shown and downloaded in the
 * dashboard (e2e/reply-files.steps.ts). Usage: `tsx e2e/custom-actions.e2e.ts` (part of `npm run test:e2e`).
 */
import assert from 'node:assert/strict';
import { start as startFakeOpenAI } from '../plugins/providers/openai/fake/server.ts';
import { API_KEY, REPORT_BYTES, start as startFakeActions } from '../worker/custom-actions/fake/server.ts';
import { launch } from './browser.ts';
import { startHarness } from './harness.ts';
import { replyFilesSteps } from './reply-files.steps.ts';
import { stepRunner } from './steps.ts';

const harness = await startHarness();
const openai = await startFakeOpenAI();
const service = await startFakeActions();
const { step, tally } = stepRunner();

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${harness.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${harness.apiKey}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

async function ok<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await api<T>(method, path, body);
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const yaml = await (await fetch(`${service.url}/openapi.yaml`)).text();
let actionId = '';
let conversationId = '';
let botId = '';

await step('parses a YAML spec under wrangler dev (no eval) and names a bad one', async () => {
  const parsed = await ok<{ title: string; operations: { operationId: string }[] }>(
    'POST',
    '/api/v1/custom-actions/parse',
    { spec: { source: 'text', text: yaml } },
  );
  assert.equal(parsed.title, 'Fake pet store');
  assert.ok(parsed.operations.some((op) => op.operationId === 'getPet'));
  const bad = await api<{ error: { message: string } }>('POST', '/api/v1/custom-actions/parse', {
    spec: { source: 'text', text: 'openapi: 3.0.3\ninfo: {title: x}\npaths: {}' },
  });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /body\.spec\.text/);
});

await step('creates an action with a sealed API key; the key never comes back', async () => {
  const action = await ok<{ id: string; auth: Record<string, unknown> }>('POST', '/api/v1/custom-actions', {
    name: 'Pets',
    spec: { source: 'text', text: yaml },
    selectedOperations: ['getPet', 'withKey', 'getReport'],
    auth: { kind: 'api_key', in: 'header', name: 'X-Api-Key', value: API_KEY },
  });
  actionId = action.id;
  assert.deepEqual(action.auth, { kind: 'api_key', in: 'header', name: 'X-Api-Key', configured: true });
  const listed = await api('GET', '/api/v1/custom-actions');
  assert.ok(!JSON.stringify(listed.body).includes(API_KEY));
});

await step('a published chatbot naming the action starts a conversation', async () => {
  const credential = await ok<{ id: string }>('POST', '/api/v1/credentials', {
    providerId: 'openai',
    name: 'Fake OpenAI (custom actions e2e)',
    settings: { apiKey: 'test-key', baseUrl: openai.url, maxRetries: 0 },
  });
  const definition = {
    schemaVersion: 1,
    nodes: [
      { id: 'start', type: 'start' },
      {
        id: 'llm',
        type: 'llm',
        providerId: 'openai',
        credentialId: credential.id,
        model: 'fake-script',
        systemPrompt: 'You call APIs.',
        parameters: {},
        tools: [`action:${actionId}`],
        maxToolSteps: 2,
      },
      { id: 'end', type: 'end' },
    ],
    edges: [
      { from: 'start', to: 'llm' },
      { from: 'llm', to: 'end' },
    ],
    settings: { burstPolicy: 'queue', welcomeMessage: '', starterQuestions: [] },
  };
  const bot = await ok<{ id: string }>('POST', '/api/v1/chatbots', { name: 'Custom actions e2e', definition });
  botId = bot.id;
  await ok('POST', `/api/v1/chatbots/${bot.id}/versions`, { note: 'e2e' });
  conversationId = (await ok<{ id: string }>('POST', '/api/v1/conversations', { chatbotId: bot.id })).id;
});

async function scriptedTurn(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { reply } = await ok<{ reply: { status: string; content: string } }>(
    'POST',
    `/api/v1/conversations/${conversationId}/messages`,
    { text: JSON.stringify([{ name, arguments: args }]) },
  );
  assert.equal(reply.status, 'complete', reply.content);
  const prefix = `Tool ${name} returned: `;
  assert.ok(reply.content.startsWith(prefix), reply.content);
  assert.ok(!reply.content.includes(API_KEY));
  return JSON.parse(reply.content.slice(prefix.length)) as Record<string, unknown>;
}

await step('the model calls an operation with path, query and header parameters', async () => {
  const result = await scriptedTurn('getPet', {
    path: { petId: 'rex' },
    query: { verbose: true },
    header: { 'X-Trace': 'e2e' },
  });
  assert.deepEqual(result, { status: 200, body: { id: 'rex', verbose: 'true', trace: 'e2e' } });
});

await step('the model calls an operation that needs the sealed API key', async () => {
  assert.deepEqual(await scriptedTurn('withKey', {}), { status: 200, body: { ok: 'key' } });
});

const reportScript = JSON.stringify([{ name: 'getReport', arguments: {} }]);

await step('a PDF answer becomes a file of the reply, downloadable with the same bytes', async () => {
  const result = await scriptedTurn('getReport', {});
  const file = result.file as { fileId: string; name: string; mimeType: string; size: number };
  assert.deepEqual(
    { ...file, fileId: '' },
    { fileId: '', name: 'report.pdf', mimeType: 'application/pdf', size: REPORT_BYTES.length },
  );
  const res = await fetch(`${harness.api}/api/v1/conversations/${conversationId}/files/${file.fileId}`, {
    headers: { authorization: `Bearer ${harness.apiKey}` },
  });
  assert.equal(res.status, 200);
  assert.ok(Buffer.from(await res.arrayBuffer()).equals(REPORT_BYTES));
});

const browser = await launch();
try {
  await replyFilesSteps({ harness, browser, step, botId, script: reportScript, bytes: REPORT_BYTES });
} finally {
  await browser.close();
}

await harness.stop();
await openai.close();
await service.close();
console.log(`\n${tally.passed} passed, ${tally.failed} failed`);
if (tally.failed > 0) process.exitCode = 1;

/// <reference types="node" />
/**
 * MCP smoke under a real `wrangler dev` (e2e/harness.ts), where `eval` and `new Function` are refused as in
 * production: the SDK's McpServer runs in this Node process over streamable HTTP on loopback
 * (worker/mcp/fake/server.ts, with its fake OAuth token endpoint), the Worker registers it through the API, lists
 * its tools (the SDK client with the @cfworker/json-schema validator; its default, ajv, would throw EvalError here)
 * and a turn of a chatbot on the OpenAI fake's `fake-script` model calls a tool and replies with its result.
 * Usage: `E2E_PORT=8946 tsx e2e/mcp.e2e.ts` (part of `npm run test:e2e`; no browser needed).
 */
import assert from 'node:assert/strict';
import { simpleDefinition } from '../worker/chatbots/definition.ts';
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from '../worker/mcp/fake/oauth.ts';
import { start as startFakeMcp } from '../worker/mcp/fake/server.ts';
import { startHarness } from './harness.ts';
import { stepRunner } from './steps.ts';

const fake = await startFakeMcp();
const harness = await startHarness();
const { step, tally } = stepRunner();

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

interface Server {
  id: string;
  tools: { name: string; inputSchema: Record<string, unknown> }[] | null;
}
interface Refresh {
  ok: boolean;
  message: string;
  server: Server;
}
interface Reply {
  status: string;
  content: string;
  metadata: { tools?: { name: string; ok: boolean }[] };
}

let serverId = '';

try {
  await step('registers the MCP server and lists its tools without eval', async () => {
    const created = await api<Server>('POST', '/api/v1/mcp-servers', { name: 'Fake tools', url: `${fake.url}/mcp` });
    const refreshed = await api<Refresh>('POST', `/api/v1/mcp-servers/${created.id}/tools/refresh`);
    assert.equal(refreshed.ok, true, refreshed.message);
    assert.deepEqual(refreshed.server.tools?.map((tool) => tool.name).sort(), [
      'add',
      'count_slowly',
      'echo',
      'fail',
      'picture',
    ]);
    await api('PATCH', `/api/v1/mcp-servers/${created.id}`, { allowedTools: ['echo', 'count_slowly', 'fail', 'add'] });
    serverId = created.id;
  });

  await step('a turn calls MCP tools and the reply uses their results', async () => {
    const credential = await api<{ id: string }>('POST', '/api/v1/credentials', {
      providerId: 'openai',
      name: 'Fake OpenAI (mcp e2e)',
      settings: { baseUrl: harness.flaky.url, apiKey: 'test-key', maxRetries: 0 },
    });
    const definition = simpleDefinition({
      providerId: 'openai',
      credentialId: credential.id,
      model: 'fake-script',
      systemPrompt: 'You use tools.',
      parameters: {},
      tools: [`mcp:${serverId}`],
      maxToolSteps: 2,
    });
    const bot = await api<{ id: string }>('POST', '/api/v1/chatbots', { name: 'MCP (e2e)', definition });
    await api('POST', `/api/v1/chatbots/${bot.id}/versions`, { note: 'e2e' });
    const conversation = await api<{ id: string }>('POST', '/api/v1/conversations', { chatbotId: bot.id });
    const turn = async (name: string, args: Record<string, unknown>) =>
      (
        await api<{ reply: Reply }>('POST', `/api/v1/conversations/${conversation.id}/messages`, {
          text: JSON.stringify([{ name, arguments: args }]),
        })
      ).reply;

    const echoed = await turn('echo', { text: 'from wrangler dev' });
    assert.equal(echoed.status, 'complete');
    assert.equal(echoed.content, 'Tool echo returned: "echo: from wrangler dev"');
    // Structured output, checked against the tool's output schema by @cfworker/json-schema.
    assert.equal((await turn('add', { a: 2, b: 3 })).content, 'Tool add returned: "{\\"sum\\":5}"');
    const started = Date.now();
    const counted = await turn('count_slowly', { n: 5 });
    console.log(`  count_slowly (5 progress notifications, 40,000-character result): ${Date.now() - started} ms`);
    assert.match(counted.content, /^Tool count_slowly returned: "counted to 5 \.\.\./);
    assert.match(counted.content, /\[cut at 15000 characters\]/);
    const failed = await turn('fail', {});
    assert.equal(failed.status, 'complete');
    assert.deepEqual(failed.metadata.tools, [{ ...failed.metadata.tools?.[0], name: 'fail', ok: false }]);
    assert.equal(failed.content, 'Tool fail returned: {"error":"the database is on fire"}');
  });

  await step('the older HTTP+SSE transport: the Worker lists the tools', async () => {
    const created = await api<Server>('POST', '/api/v1/mcp-servers', {
      name: 'Old server',
      url: `${fake.url}/sse`,
      transport: 'sse',
    });
    const refreshed = await api<Refresh>('POST', `/api/v1/mcp-servers/${created.id}/tools/refresh`);
    assert.equal(refreshed.ok, true, refreshed.message);
    assert.equal(refreshed.server.tools?.length, 5);
  });

  await step('OAuth client credentials: the Worker fetches a token and lists the protected server', async () => {
    const created = await api<Server>('POST', '/api/v1/mcp-servers', {
      name: 'OAuth tools',
      url: `${fake.url}/oauth/mcp`,
      auth: {
        kind: 'oauth2_client_credentials',
        tokenUrl: `${fake.url}/oauth/token`,
        clientId: OAUTH_CLIENT_ID,
        clientSecret: OAUTH_CLIENT_SECRET,
        scopes: ['e2e'],
      },
    });
    const refreshed = await api<Refresh>('POST', `/api/v1/mcp-servers/${created.id}/tools/refresh`);
    assert.equal(refreshed.ok, true, refreshed.message);
    assert.ok(!JSON.stringify(refreshed).includes(OAUTH_CLIENT_SECRET));
    const issued = (await (await fetch(`${fake.url}/oauth/issued`)).json()) as Record<string, number>;
    assert.equal(issued.e2e, 1);
  });

  await step(
    'OAuth authorization code: Connect, sign in (PKCE), callback, then the protected server lists',
    async () => {
      const created = await api<Server>('POST', '/api/v1/mcp-servers', {
        name: 'Signed-in tools',
        url: `${fake.url}/authcode/mcp`,
        auth: { kind: 'oauth2_authorization_code', scopes: ['e2e-code'] },
      });
      const started = Date.now();
      const { authorizationUrl } = await api<{ authorizationUrl: string }>(
        'POST',
        `/api/v1/mcp-servers/${created.id}/oauth/start`,
      );
      const approved = await fetch(authorizationUrl, { redirect: 'manual' });
      assert.equal(approved.status, 302);
      const back = await fetch(approved.headers.get('location') ?? '', { redirect: 'manual' });
      assert.equal(back.status, 302, await back.text());
      assert.equal(back.headers.get('location'), '/#/mcp-servers');
      console.log(`  start + sign-in + code exchange under wrangler dev: ${Date.now() - started} ms`);
      const refreshed = await api<Refresh & { server: { auth: { connected?: boolean } } }>(
        'POST',
        `/api/v1/mcp-servers/${created.id}/tools/refresh`,
      );
      assert.equal(refreshed.ok, true, refreshed.message);
      assert.equal(refreshed.server.auth.connected, true);
      assert.ok(!JSON.stringify(refreshed).includes('tok-'));
    },
  );
} finally {
  await harness.stop();
  await fake.close();
}
console.log(`${tally.passed} passed, ${tally.failed} failed`);
process.exit(tally.failed > 0 ? 1 : 0);

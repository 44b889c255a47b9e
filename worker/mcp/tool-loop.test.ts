import { env, SELF } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { addChatbot, authed, BASE, seedDemo } from '../../test/seed.ts';
import { simpleDefinition } from '../chatbots/definition.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { database } from '../db/client.ts';
import type { Env } from '../env.ts';
import { systemClock } from '../ports/clock.ts';
import { toolboxFor } from '../tools/toolbox.ts';
import { refreshTools } from './list-tools.ts';
import { MAX_RESULT_CHARS } from './results.ts';
import { getServer } from './store.ts';
import { fakeMcpServer, fakeMcpUrl } from './testing.ts';

/** A chatbot on the real OpenAI plugin and SDK, pointed at the fake's `fake-script` model, with one MCP server. */
async function mcpChatbot(teamId: string, serverId: string): Promise<string> {
  const credentialId = `cred_${crypto.randomUUID()}`;
  const definition = simpleDefinition({
    providerId: 'openai',
    credentialId,
    model: 'fake-script',
    systemPrompt: 'You use tools.',
    parameters: {},
    tools: [`mcp:${serverId}`],
    maxToolSteps: 2,
  });
  return addChatbot(teamId, definition, {
    id: credentialId,
    providerId: 'openai',
    settings: { baseUrl: inject('fakeServers').openai, maxRetries: 0 },
    secrets: { apiKey: 'test-key' },
  });
}

/** A server on the fake's logging path (`/log/<key>/mcp`), its tools listed once, as the dashboard's Refresh does. */
async function loggedServer(teamId: string) {
  const key = crypto.randomUUID();
  const row = await fakeMcpServer(teamId, ['echo', 'count_slowly', 'fail', 'add'], { kind: 'none' }, `/log/${key}/mcp`);
  await refreshTools(env, database(env.DB), row);
  const methods = async () => (await (await fetch(fakeMcpUrl(`/log/${key}`))).json()) as string[];
  return { row, methods };
}

interface ToolRecord {
  name: string;
  ok: boolean;
}

async function conversation(apiKey: string, chatbotId: string) {
  const started = await SELF.fetch(
    `${BASE}/api/v1/conversations`,
    authed(apiKey, { method: 'POST', body: JSON.stringify({ chatbotId }) }),
  );
  expect(started.status).toBe(201);
  const { id } = (await started.json()) as { id: string };
  /** One user turn whose text is the fake model's script: the MCP tool it calls. */
  return async (name: string, args: Record<string, unknown>) => {
    const res = await SELF.fetch(
      `${BASE}/api/v1/conversations/${id}/messages`,
      authed(apiKey, { method: 'POST', body: JSON.stringify({ text: JSON.stringify([{ name, arguments: args }]) }) }),
    );
    expect(res.status).toBe(201);
    return ((await res.json()) as { reply: ConversationMessage }).reply;
  };
}

/**
 * Issue 18's tool loop over MCP: the OpenAI SDK (unchanged, against its fake) calls tools of a real MCP server (the
 * SDK's McpServer, worker/mcp/fake/server.ts) in a conversation turn, and each result goes back to the model.
 */
describe('MCP tools in the tool loop', () => {
  it('runs a tool that reports progress and answers long: the model gets the result, cut', async () => {
    const demo = await seedDemo();
    const { row, methods } = await loggedServer(demo.teamId);
    const turn = await conversation(demo.apiKey, await mcpChatbot(demo.teamId, row.id));
    const reply = await turn('count_slowly', { n: 5 });
    // The result streamed: the client asked for progress (a progress token) and the server sent 5 notifications
    // on the call's event stream before the result.
    expect((await methods()).filter((method) => method === 'notifications/progress (sent)')).toHaveLength(5);
    expect(reply.status).toBe('complete');
    expect(reply.metadata.tools as unknown as ToolRecord[]).toEqual([
      expect.objectContaining({ name: 'count_slowly', ok: true }),
    ]);
    // The fake model answers from the tool message it was sent.
    const prefix = 'Tool count_slowly returned: ';
    expect(reply.content.startsWith(`${prefix}"counted to 5 ...`)).toBe(true);
    expect(reply.content).toContain(`[cut at ${MAX_RESULT_CHARS} characters]`);
    expect(reply.content.length).toBeLessThan(MAX_RESULT_CHARS + 200);
  });

  it('gives a failing tool’s error (isError) to the model, and the turn finishes', async () => {
    const demo = await seedDemo();
    const { row } = await loggedServer(demo.teamId);
    const turn = await conversation(demo.apiKey, await mcpChatbot(demo.teamId, row.id));
    const reply = await turn('fail', {});
    expect(reply.status).toBe('complete');
    expect(reply.metadata.tools as unknown as ToolRecord[]).toEqual([
      expect.objectContaining({ name: 'fail', ok: false }),
    ]);
    expect(reply.content).toBe('Tool fail returned: {"error":"the database is on fire"}');
    // The conversation goes on: the next turn calls a tool with structured output (validated by its schema).
    expect((await turn('add', { a: 2, b: 3 })).content).toBe('Tool add returned: "{\\"sum\\":5}"');
    expect((await turn('echo', { text: 'still here' })).content).toBe('Tool echo returned: "echo: still here"');
  });

  it('uses the cached tool list: turns call tools without listing them again', async () => {
    const demo = await seedDemo();
    const { row, methods } = await loggedServer(demo.teamId);
    const listed = await methods();
    expect(listed.filter((method) => method === 'tools/list')).toHaveLength(1);
    const turn = await conversation(demo.apiKey, await mcpChatbot(demo.teamId, row.id));
    expect((await turn('echo', { text: 'one' })).content).toBe('Tool echo returned: "echo: one"');
    expect((await turn('echo', { text: 'two' })).content).toBe('Tool echo returned: "echo: two"');
    const after = (await methods()).slice(listed.length);
    expect(after.filter((method) => method === 'tools/call')).toHaveLength(2);
    expect(after).not.toContain('tools/list');
  });

  it('refuses a server on a private address when private outbound is off, as deployed', async () => {
    const demo = await seedDemo();
    const { row, methods } = await loggedServer(demo.teamId);
    const before = (await methods()).length;
    const deployed = { ...env, ALLOW_PRIVATE_OUTBOUND: 'false' } as Env;
    const turnContext = {
      env: deployed,
      teamId: demo.teamId,
      chatbotId: 'bot_x',
      conversationId: 'conv_x',
      participantId: null,
      clock: systemClock,
    };
    const fresh = await getServer(database(env.DB), demo.teamId, row.id);
    expect(fresh?.toolsCache).not.toBeNull();
    const toolbox = await toolboxFor(turnContext, [`mcp:${row.id}`]);
    const result = await toolbox.run(
      { id: 'c1', name: 'echo', arguments: JSON.stringify({ text: 'hi' }) },
      { clock: systemClock, fetch, signal: new AbortController().signal },
    );
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/refused to fetch .*127\.0\.0\.1 is/);
    // Nothing reached the server.
    expect(await methods()).toHaveLength(before);
  });
});

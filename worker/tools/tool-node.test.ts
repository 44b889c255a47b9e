import { env, runInDurableObject, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api } from '../../test/api-fixtures.ts';
import { addChatbot, authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import type { ChatbotDefinition } from '../chatbots/definition.ts';
import { PipelineStore } from '../conversation/pipeline-store.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import type { MessageTrace } from '../conversation/trace.ts';
import { database } from '../db/client.ts';
import { refreshTools } from '../mcp/list-tools.ts';
import { fakeMcpServer } from '../mcp/testing.ts';

const settings = { burstPolicy: 'queue' as const, welcomeMessage: '', starterQuestions: [] };

/** start → calc (builtin:calculator) → count (builtin:session_state) → echo (an MCP tool) → end. */
function toolPipeline(serverId: string) {
  return {
    schemaVersion: 2,
    nodes: [
      { id: 'start', kind: 'start', settings: {} },
      {
        id: 'calc',
        kind: 'tool',
        settings: { tool: 'builtin:calculator', arguments: { expression: '{{ input }}' }, outputKey: 'sum' },
      },
      {
        id: 'count',
        kind: 'tool',
        settings: { tool: 'builtin:session_state', function: 'increment_session_state', arguments: { key: 'calcs' } },
      },
      {
        id: 'echo',
        kind: 'tool',
        settings: { tool: `mcp:${serverId}/echo`, arguments: { text: 'the answer is {{ temp_state.sum.result }}' } },
      },
      { id: 'end', kind: 'end', settings: {} },
    ],
    edges: [
      { from: 'start', to: 'calc' },
      { from: 'calc', to: 'count' },
      { from: 'count', to: 'echo' },
      { from: 'echo', to: 'end' },
    ],
    settings,
  };
}

async function readyServer(teamId: string) {
  const row = await fakeMcpServer(teamId, ['echo', 'fail']);
  await refreshTools(env, database(env.DB), row);
  return row;
}

async function reply(apiKey: string, conversationId: string, text: string): Promise<ConversationMessage> {
  const res = await SELF.fetch(
    `${BASE}/api/v1/conversations/${conversationId}/messages`,
    authed(apiKey, { method: 'POST', body: JSON.stringify({ text }) }),
  );
  expect(res.status).toBe(201);
  return ((await res.json()) as { reply: ConversationMessage }).reply;
}

describe('the Tool node in a pipeline turn', () => {
  it('calls a built-in set and an MCP tool with templated arguments; the results reach the reply and the trace', async () => {
    const demo = await seedDemo();
    const server = await readyServer(demo.teamId);
    const chatbotId = await addChatbot(demo.teamId, toolPipeline(server.id) as unknown as ChatbotDefinition);
    const conversationId = await startConversation(demo.apiKey, chatbotId);

    const answer = await reply(demo.apiKey, conversationId, '(2 + 3) * 4 ^ 2');
    expect(answer).toMatchObject({ status: 'complete', content: 'echo: the answer is 80' });

    const res = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/messages/${answer.id}/trace`,
      authed(demo.apiKey),
    );
    const trace = (await res.json()) as MessageTrace;
    expect(trace.path).toEqual(['start', 'calc', 'count', 'echo', 'end']);
    const calc = trace.trace.find((node) => node.nodeId === 'calc');
    expect(calc?.output).toEqual({ result: 80 });
    // The call is in the trace as an LLM node's tool calls are: function, arguments, result.
    expect(calc?.tools).toEqual([
      {
        id: 'calc-1',
        name: 'calculate',
        arguments: '{"expression":"(2 + 3) * 4 ^ 2"}',
        ok: true,
        output: '{"result":80}',
      },
    ]);
    expect(trace.trace.find((node) => node.nodeId === 'echo')?.tools?.[0]).toMatchObject({
      name: 'echo',
      arguments: '{"text":"the answer is 80"}',
      ok: true,
    });

    // The session-state tool wrote through the node: the write persisted with the run, and counts across turns.
    await reply(demo.apiKey, conversationId, '1 + 1');
    const stub = env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(conversationId));
    const state = await runInDurableObject(stub, (_instance, s) => new PipelineStore(s.storage.sql).sessionState());
    expect(state).toEqual({ calcs: 2 });
  });

  it("fails the node with the tool's error, and the run ends with the fallback reply", async () => {
    const demo = await seedDemo();
    const server = await readyServer(demo.teamId);
    const definition = toolPipeline(server.id);
    const echo = definition.nodes.find((node) => node.id === 'echo');
    if (echo) echo.settings = { tool: `mcp:${server.id}/fail`, arguments: {} } as never;
    const chatbotId = await addChatbot(demo.teamId, {
      ...definition,
      settings: { ...settings, fallbackReply: 'Sorry, that did not work.' },
    } as unknown as ChatbotDefinition);
    const conversationId = await startConversation(demo.apiKey, chatbotId);
    const answer = await reply(demo.apiKey, conversationId, '1 + 2');
    expect(answer.content).toBe('Sorry, that did not work.');
    const res = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/messages/${answer.id}/trace`,
      authed(demo.apiKey),
    );
    const trace = (await res.json()) as MessageTrace;
    const failed = trace.trace.find((node) => node.nodeId === 'echo');
    expect(failed).toMatchObject({ status: 'failed' });
    expect(JSON.stringify(failed)).toContain('fail: the database is on fire');
  });

  it('checks the tool when the definition is saved: unknown ids, another team’s server, a missing function', async () => {
    const a = await seedDemo();
    const server = await readyServer(a.teamId);
    const b = await seedDemo();
    const definition = toolPipeline(server.id);
    /** The draft's problems: a pipeline draft is saved with them listed (worker/chatbots/pipeline-checks.ts). */
    const problems = async (apiKey: string, chatbotId: string, body: unknown) => {
      const res = await api.send(apiKey, 'PATCH', `/api/v1/chatbots/${chatbotId}`, { definition: body });
      expect(res.status).toBe(200);
      const { draft } = (await res.json()) as { draft: { issues: { path: string; message: string }[] } };
      return draft.issues;
    };

    expect(await problems(a.apiKey, a.chatbotId, definition)).toEqual([]);

    // Team B cannot name team A's MCP server: it reads as a missing one.
    expect(await problems(b.apiKey, b.chatbotId, definition)).toEqual([
      expect.objectContaining({ path: 'body.definition.nodes[3].settings.tool', code: 'unknown_reference' }),
    ]);

    const broken = structuredClone(definition);
    broken.nodes[1] = { id: 'calc', kind: 'tool', settings: { tool: 'builtin:nope', arguments: {} } } as never;
    broken.nodes[2] = { id: 'count', kind: 'tool', settings: { tool: 'builtin:session_state' } } as never;
    broken.nodes[3] = { id: 'echo', kind: 'tool', settings: { tool: 'clock', function: 'nope' } } as never;
    const issues = await problems(a.apiKey, a.chatbotId, broken);
    expect(issues.map((issue) => issue.path).sort()).toEqual([
      'body.definition.nodes[1].settings.tool',
      'body.definition.nodes[2].settings.function',
      'body.definition.nodes[3].settings.function',
    ]);
    expect(issues.find((issue) => issue.path.endsWith('[2].settings.function'))?.message).toContain(
      'increment_session_state',
    );
  });
});

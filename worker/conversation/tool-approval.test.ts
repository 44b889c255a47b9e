import { env, SELF } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import type { ToolApproval } from '../../plugins/sdk/index.ts';
import { eventually, telegramCalls, telegramChat } from '../../test/channels/fixtures.ts';
import { addChatbot, authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import { addMember, signIn, withSession } from '../auth/testing.ts';
import { type ChatbotDefinition, simpleDefinition } from '../chatbots/definition.ts';
import { openSession, seedWidget, widgetFetch } from '../widget/testing.ts';
import type { ConversationEvent, ConversationMessage } from './protocol.ts';
import { conversationStub } from './stub.ts';

/**
 * Human approval of tool calls (issue 18 §4): the fake OpenAI model `fake-tool` calls `current_time` with the user's
 * text as its time zone, then answers "Tool current_time returned: <the result>", so the reply shows what it got.
 */
async function approvalBot(teamId: string, approval: ToolApproval, pipeline?: { nodeTimeoutMs: number }) {
  const credentialId = `cred_${crypto.randomUUID()}`;
  const llm = {
    providerId: 'openai',
    credentialId,
    model: 'fake-tool',
    systemPrompt: '',
    parameters: {},
    tools: ['clock'],
    maxToolSteps: 2,
    approval,
  };
  const definition = pipeline
    ? ({
        schemaVersion: 2,
        nodes: [
          { id: 'start', kind: 'start', settings: {} },
          { id: 'llm', kind: 'llm', settings: llm, timeoutMs: pipeline.nodeTimeoutMs },
          { id: 'end', kind: 'end', settings: {} },
        ],
        edges: [
          { from: 'start', to: 'llm' },
          { from: 'llm', to: 'end' },
        ],
        settings: { burstPolicy: 'queue', welcomeMessage: '', starterQuestions: [] },
      } as unknown as ChatbotDefinition)
    : simpleDefinition(llm);
  return addChatbot(teamId, definition, {
    id: credentialId,
    providerId: 'openai',
    settings: { baseUrl: inject('fakeServers').openai, maxRetries: 1 },
    secrets: { apiKey: 'test-key' },
  });
}

/** A WebSocket on the conversation (API key), collecting frames. */
async function socket(apiKey: string, conversationId: string, after = 0) {
  const res = await SELF.fetch(
    `${BASE}/api/v1/conversations/${conversationId}/ws?after=${after}`,
    authed(apiKey, { headers: { upgrade: 'websocket' } }),
  );
  expect(res.status).toBe(101);
  const ws = res.webSocket as WebSocket;
  ws.accept();
  const frames: Record<string, unknown>[] = [];
  ws.addEventListener('message', (event) => {
    if (typeof event.data === 'string' && event.data !== 'pong') frames.push(JSON.parse(event.data));
  });
  const events = () => frames.filter((f) => 'seq' in f) as unknown as ConversationEvent[];
  const until = async <T>(find: () => T | undefined, ms = 10_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out; frames: ${JSON.stringify(frames).slice(0, 800)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const requested = () =>
    until(() => events().find((e) => e.type === 'tool.approval_requested')) as Promise<
      Extract<ConversationEvent, { type: 'tool.approval_requested' }>
    >;
  return { ws, frames, events, until, requested };
}

/** A dashboard test chat: a signed-in member sends the message (the surface that can ask), JSON until the reply. */
async function dashboardChat(approval: ToolApproval, pipeline?: { nodeTimeoutMs: number }) {
  const demo = await seedDemo();
  const chatbotId = await approvalBot(demo.teamId, approval, pipeline);
  const member = await addMember(demo.teamId, 'admin');
  const session = await signIn(member.email);
  const conversationId = await startConversation(demo.apiKey, chatbotId);
  const watcher = await socket(demo.apiKey, conversationId);
  const send = (text: string) =>
    SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/messages`,
      withSession(session, { method: 'POST', body: JSON.stringify({ text }) }),
    ).then(async (res) => {
      expect(res.status, await res.clone().text()).toBe(201);
      return ((await res.json()) as { reply: ConversationMessage }).reply;
    });
  const decide = (approvalId: string, decision: 'approve' | 'deny') =>
    SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/tool-approvals/${approvalId}`,
      authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ decision }) }),
    );
  return { demo, conversationId, watcher, send, decide };
}

const toolLog = (reply: ConversationMessage) => (reply.metadata.tools as Record<string, unknown>[])[0];

describe('tool calls that need approval', { timeout: 30_000 }, () => {
  it('pause the turn until approved, then the tool runs and the reply continues; a second decision is 409', async () => {
    const chat = await dashboardChat({ functions: ['current_time'], otherwise: 'deny' });
    const reply = chat.send('Europe/Paris');
    const requested = await chat.watcher.requested();
    expect(requested.approval).toMatchObject({ name: 'current_time', nodeId: 'llm' });
    expect(JSON.parse(requested.approval.arguments)).toEqual({ timeZone: 'Europe/Paris' });
    expect(requested.approval.expiresAt - requested.approval.requestedAt).toBe(600_000);
    // Paused: the tool has not run, and the reply is still waiting.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(chat.watcher.events().some((e) => e.type === 'tool.result')).toBe(false);

    const approved = await chat.decide(requested.approval.id, 'approve');
    expect(approved.status, await approved.clone().text()).toBe(200);
    expect(await approved.json()).toMatchObject({ decision: 'approved', approval: { id: requested.approval.id } });
    const message = await reply;
    expect(message.status).toBe('complete');
    expect(message.content).toContain('Tool current_time returned');
    expect(message.content).toContain('Europe/Paris');
    expect(toolLog(message)).toMatchObject({ ok: true, approval: { decision: 'approved', by: 'user' } });
    const types = chat.watcher.events().map((e) => e.type);
    expect(types.indexOf('tool.approval_requested')).toBeLessThan(types.indexOf('tool.approval_decided'));
    expect(types.indexOf('tool.approval_decided')).toBeLessThan(types.indexOf('tool.result'));

    // The trace shows the call under its node, with the approval.
    const trace = await SELF.fetch(
      `${BASE}/api/v1/conversations/${chat.conversationId}/messages/${message.id}/trace`,
      authed(chat.demo.apiKey),
    );
    expect(trace.status).toBe(200);
    const { trace: entries } = (await trace.json()) as { trace: { nodeId: string; tools?: unknown[] }[] };
    expect(entries.find((entry) => entry.nodeId === 'llm')?.tools).toEqual([
      expect.objectContaining({ name: 'current_time', ok: true, approval: { decision: 'approved', by: 'user' } }),
    ]);

    for (const decision of ['approve', 'deny'] as const) {
      const again = await chat.decide(requested.approval.id, decision);
      expect(again.status).toBe(409);
      expect(await again.json()).toMatchObject({ error: { code: 'approval_decided' } });
    }
    expect((await chat.decide('tap_unknown', 'approve')).status).toBe(404);
  });

  it('tell the model the user denied the call (decided over the WebSocket); the tool never runs', async () => {
    const chat = await dashboardChat({ functions: ['current_time'], otherwise: 'allow' });
    const reply = chat.send('Asia/Tokyo');
    const requested = await chat.watcher.requested();
    chat.watcher.ws.send(
      JSON.stringify({ type: 'tool.approval', approvalId: requested.approval.id, decision: 'deny' }),
    );
    const message = await reply;
    expect(message.status).toBe('complete');
    expect(message.content).toContain('The user denied this tool call');
    expect(toolLog(message)).toMatchObject({ ok: false, approval: { decision: 'denied', by: 'user' } });
    const result = chat.watcher.events().find((e) => e.type === 'tool.result');
    expect(result?.type === 'tool.result' && JSON.parse(result.output)).toMatchObject({ denied: true });
    // A second decision over the socket is refused there, naming the approval.
    chat.watcher.ws.send(
      JSON.stringify({ type: 'tool.approval', approvalId: requested.approval.id, decision: 'approve' }),
    );
    const rejected = await chat.watcher.until(() => chat.watcher.frames.find((f) => f.type === 'rejected'));
    expect(rejected).toMatchObject({ approvalId: requested.approval.id, error: { code: 'approval_decided' } });
    chat.watcher.ws.close(1000);
  });

  it('deny a call nobody decides on before the timeout; a decision after it is 409', async () => {
    const chat = await dashboardChat({ functions: ['current_time'], otherwise: 'allow', timeoutSeconds: 1 });
    const reply = chat.send('America/Lima');
    const requested = await chat.watcher.requested();
    const message = await reply;
    expect(message.content).toContain('Nobody approved this tool call in time');
    expect(toolLog(message)).toMatchObject({ ok: false, approval: { decision: 'denied', by: 'timeout' } });
    const decided = chat.watcher.events().find((e) => e.type === 'tool.approval_decided');
    expect(decided).toMatchObject({ approvalId: requested.approval.id, decision: 'denied', by: 'timeout' });
    expect((await chat.decide(requested.approval.id, 'approve')).status).toBe(409);
  });

  it('do not count the wait toward the node’s timeout (a pipeline LLM node with 1 s, decided after 1.5 s)', async () => {
    const chat = await dashboardChat({ functions: ['current_time'], otherwise: 'deny' }, { nodeTimeoutMs: 1_000 });
    const reply = chat.send('Europe/Berlin');
    const requested = await chat.watcher.requested();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await chat.decide(requested.approval.id, 'approve')).status).toBe(200);
    const message = await reply;
    expect(message.status).toBe('complete');
    expect(message.content).toContain('Europe/Berlin');
  });

  it('show a reconnecting client the pending request, in the replay and in the history', async () => {
    const chat = await dashboardChat({ functions: ['current_time'], otherwise: 'deny' });
    const reply = chat.send('Africa/Lagos');
    const requested = await chat.watcher.requested();
    chat.watcher.ws.close(1000);
    // A client that reconnects from before the request replays it, and sees no decision after it.
    const again = await socket(chat.demo.apiKey, chat.conversationId, requested.seq - 1);
    const replayed = await again.requested();
    expect(replayed.approval.id).toBe(requested.approval.id);
    expect(again.events().some((e) => e.type === 'tool.approval_decided')).toBe(false);
    // A client that loads the history (the widget after a page reload) gets it as pending.
    const history = await conversationStub(env, chat.conversationId).history();
    expect(history.pendingApprovals).toEqual([requested.approval]);
    expect((await chat.decide(requested.approval.id, 'approve')).status).toBe(200);
    expect((await reply).content).toContain('Africa/Lagos');
    expect((await conversationStub(env, chat.conversationId).history()).pendingApprovals).toEqual([]);
    again.ws.close(1000);
  });

  it('follow `otherwise` where nobody can be asked: the API (allow) and a messaging channel (deny)', async () => {
    const demo = await seedDemo();
    const allowing = await approvalBot(demo.teamId, { functions: ['current_time'], otherwise: 'allow' });
    const conversationId = await startConversation(demo.apiKey, allowing);
    const res = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/messages`,
      authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ text: 'Europe/Oslo' }) }),
    );
    const { reply } = (await res.json()) as { reply: ConversationMessage };
    expect(reply.content).toContain('Europe/Oslo');
    expect(toolLog(reply)).toMatchObject({ ok: true, approval: { decision: 'approved', by: 'rule' } });

    const chat = await telegramChat({
      channelOptions: { streamEdits: false },
      chatbot: (teamId) => approvalBot(teamId, { functions: ['current_time'], otherwise: 'deny' }),
    });
    await chat.post('Europe/Rome');
    const deadline = Date.now() + 10_000;
    let answer: ConversationMessage | undefined;
    while (!answer && Date.now() < deadline) {
      answer = (await chat.messages()).find((m) => m.role === 'assistant' && m.status === 'complete');
      if (!answer) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(answer?.content).toContain('cannot be asked on this channel');
    expect(answer && toolLog(answer)).toMatchObject({ ok: false, approval: { decision: 'denied', by: 'rule' } });
  });

  it('follow an `allow` rule on a messaging channel: the tool runs and its answer reaches the chat, no request asked', async () => {
    const chat = await telegramChat({
      channelOptions: { streamEdits: false },
      chatbot: (teamId) => approvalBot(teamId, { functions: ['current_time'], otherwise: 'allow' }),
    });
    await chat.post('Asia/Tokyo');
    const answer = await eventually(async () =>
      (await chat.messages()).find((m) => m.role === 'assistant' && m.status === 'complete'),
    );
    expect(answer.content).toContain('Asia/Tokyo');
    expect(toolLog(answer)).toMatchObject({ ok: true, approval: { decision: 'approved', by: 'rule' } });
    // Delivered to the Telegram chat, and nobody was asked: no approval request is pending or in the history.
    const sent = await eventually(async () =>
      (await telegramCalls(chat.chatId)).find((call) => call.method === 'sendMessage' && call.body.text),
    );
    expect(sent.body.text).toContain('Asia/Tokyo');
    expect((await conversationStub(env, chat.conversationId).history()).pendingApprovals).toEqual([]);
  });

  it('answer a widget decision on its own conversation only: unknown ids 404, bad bodies 400 naming the field', async () => {
    const { demo } = await seedWidget();
    const session = await openSession({ widgetKey: demo.widgetKey });
    const path = `/conversations/${session.conversationId}/tool-approvals/tap_unknown`;
    const unknown = await widgetFetch(path, session.token, {
      method: 'POST',
      body: JSON.stringify({ decision: 'approve' }),
    });
    expect(unknown.status).toBe(404);
    const bad = await widgetFetch(path, session.token, { method: 'POST', body: JSON.stringify({ decision: 'maybe' }) });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('body.decision');
  });
});

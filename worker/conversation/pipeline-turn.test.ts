import { env, runInDurableObject, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { addChatbot, authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import { parseSse } from '../../test/sse.ts';
import type { ChatbotDefinition } from '../chatbots/definition.ts';
import type { PipelineDefinition } from '../pipelines/definition.ts';
import { PipelineStore } from './pipeline-store.ts';
import type { ConversationEvent, ConversationMessage } from './protocol.ts';
import type { MessageTrace } from './trace.ts';

const llm = (providerId = 'offline') => ({
  providerId,
  credentialId: null,
  model: 'offline-echo',
  systemPrompt: '',
  parameters: {},
  tools: [],
  maxToolSteps: 1,
});

const settings = { burstPolicy: 'queue' as const, welcomeMessage: '', starterQuestions: [] };

async function pipelineBot(teamId: string, definition: Omit<PipelineDefinition, 'schemaVersion'>) {
  return addChatbot(teamId, { schemaVersion: 2, ...definition } as unknown as ChatbotDefinition);
}

async function send(apiKey: string, conversationId: string, text: string, stream = true) {
  const res = await SELF.fetch(
    `${BASE}/api/v1/conversations/${conversationId}/messages`,
    authed(apiKey, {
      method: 'POST',
      body: JSON.stringify({ text }),
      headers: stream ? { accept: 'text/event-stream' } : {},
    }),
  );
  return res;
}

const completed = (events: ConversationEvent[]) =>
  events.flatMap((e) => (e.type === 'message.completed' && e.message.role === 'assistant' ? [e.message] : []));

async function sessionState(conversationId: string) {
  const stub = env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(conversationId));
  return runInDurableObject(stub, (_instance, state) => new PipelineStore(state.storage.sql).sessionState());
}

/** Every run row of the conversation, with its checkpoint (node records joined in). */
async function storedRuns(conversationId: string) {
  const stub = env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(conversationId));
  return runInDurableObject(stub, (_instance, state) => {
    const ids = state.storage.sql.exec<{ id: string }>('SELECT id FROM pipeline_runs ORDER BY created_at').toArray();
    const pipelines = new PipelineStore(state.storage.sql);
    return ids.flatMap(({ id }) => pipelines.run(id) ?? []);
  });
}

const router = {
  nodes: [
    { id: 'start', kind: 'start', settings: {} },
    { id: 'count', kind: 'set_state', settings: { operations: [{ op: 'increment', scope: 'session', key: 'turns' }] } },
    {
      id: 'route',
      kind: 'static_router',
      settings: {
        source: 'input',
        rules: [{ port: 'help', operator: 'contains', value: 'help' }],
        defaultPort: 'other',
      },
    },
    { id: 'greet', kind: 'reply', settings: { text: 'Hello!' } },
    { id: 'llm', kind: 'llm', settings: llm() },
    { id: 'end1', kind: 'end', settings: {} },
    { id: 'canned', kind: 'template', settings: { template: 'You said {{ input }}' } },
    { id: 'end2', kind: 'end', settings: {} },
  ],
  edges: [
    { from: 'start', to: 'count' },
    { from: 'count', to: 'route' },
    { from: 'route', fromPort: 'help', to: 'greet' },
    { from: 'greet', to: 'llm' },
    { from: 'llm', to: 'end1' },
    { from: 'route', fromPort: 'other', to: 'canned' },
    { from: 'canned', to: 'end2' },
  ],
  settings,
};

describe('pipeline turns in the conversation object', () => {
  it('routes, skips the branch not taken, sends several messages in order and streams the certain reply', async () => {
    const demo = await seedDemo();
    const chatbotId = await pipelineBot(demo.teamId, router);
    const conversationId = await startConversation(demo.apiKey, chatbotId);

    const events = parseSse(await (await send(demo.apiKey, conversationId, 'help me please')).text());
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const replies = completed(events);
    expect(replies.map((m) => m.content.slice(0, 6))).toEqual(['Hello!', 'You sa']);
    const [greeting, answer] = replies as [ConversationMessage, ConversationMessage];
    expect(greeting.position).toBeLessThan(answer.position);
    expect(answer).toMatchObject({ status: 'complete', providerId: 'offline', turnId: greeting.turnId });
    // The LLM answer streamed token by token into its own message; nothing was sent twice.
    const deltas = events.filter((e) => e.type === 'delta' && e.messageId === answer.id);
    expect(deltas.length).toBeGreaterThan(10);
    expect(events.filter((e) => e.type === 'message.created' && e.message.role === 'assistant')).toHaveLength(2);
    // Node progress is in the stream; the branch not taken is skipped.
    const skipped = events.flatMap((e) => (e.type === 'node.skipped' ? [e.nodeId] : []));
    expect(skipped.sort()).toEqual(['canned', 'end2']);
    expect(events.some((e) => e.type === 'node.completed' && e.nodeId === 'llm' && e.durationMs >= 0)).toBe(true);

    const second = parseSse(await (await send(demo.apiKey, conversationId, 'other things')).text());
    expect(completed(second).map((m) => m.content)).toEqual(['You said other things']);
    expect(second.filter((e) => e.type === 'delta')).toHaveLength(0);
    expect(await sessionState(conversationId)).toEqual({ turns: 2 });

    // Why this reply: the run's path with each node's input and output.
    const res = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/messages/${answer.id}/trace`,
      authed(demo.apiKey),
    );
    expect(res.status).toBe(200);
    const trace = (await res.json()) as MessageTrace;
    expect(trace).toMatchObject({ status: 'completed', error: null });
    expect(trace.path).toEqual(['start', 'count', 'route', 'greet', 'llm', 'end1']);
    expect(trace.trace.find((node) => node.nodeId === 'route')).toMatchObject({ port: 'help', attempts: 1 });
    expect(trace.trace.find((node) => node.nodeId === 'llm')?.output).toBe(answer.content);
    expect(trace.trace.find((node) => node.nodeId === 'canned')).toMatchObject({ status: 'skipped' });
    // Each checkpoint writes only the node records it added: the stored run still holds every node's record.
    const stored = await storedRuns(conversationId);
    const run = stored.find((r) => r.replyIds.includes(answer.id));
    expect(Object.keys(run?.checkpoint.nodes ?? {}).sort()).toEqual(router.nodes.map((node) => node.id).sort());
    expect(run?.checkpoint.nodes.llm).toMatchObject({ status: 'completed', output: answer.content });
    const userMessage = events.find((e) => e.type === 'message.created' && e.message.role === 'user');
    const userId = userMessage?.type === 'message.created' ? userMessage.message.id : '';
    const none = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/messages/${userId}/trace`,
      authed(demo.apiKey),
    );
    expect(none.status).toBe(404);
  });

  it('stores a version 1 run once, at its end, with its whole trace', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const events = parseSse(await (await send(demo.apiKey, conversationId, 'hello')).text());
    const [reply] = completed(events);
    expect(reply?.status).toBe('complete');
    // Version 1 keeps exactly its events: no node progress.
    expect(events.some((e) => e.type.startsWith('node.'))).toBe(false);
    const stored = await storedRuns(conversationId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: 'completed', replyIds: [reply?.id] });
    expect(stored[0]?.checkpoint.path).toEqual(['start', 'llm', 'end']);
    expect(stored[0]?.checkpoint.nodes.llm).toMatchObject({ status: 'completed', output: reply?.content });
    const trace = (await (
      await SELF.fetch(
        `${BASE}/api/v1/conversations/${conversationId}/messages/${reply?.id}/trace`,
        authed(demo.apiKey),
      )
    ).json()) as MessageTrace;
    expect(trace.trace.map((node) => [node.nodeId, node.status])).toEqual([
      ['start', 'completed'],
      ['llm', 'completed'],
      ['end', 'completed'],
    ]);
    expect(trace.trace[1]?.output).toBe(reply?.content);
  });

  it('answers JSON sends with every reply in order', async () => {
    const demo = await seedDemo();
    const chatbotId = await pipelineBot(demo.teamId, router);
    const conversationId = await startConversation(demo.apiKey, chatbotId);
    const res = await send(demo.apiKey, conversationId, 'help', false);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { reply: ConversationMessage; replies: ConversationMessage[] };
    expect(body.replies.map((m) => m.content.slice(0, 6))).toEqual(['Hello!', 'You sa']);
    expect(body.reply.id).toBe(body.replies[1]?.id);
  });

  it('buffers an LLM answer that is not certain to be the reply, and sends it whole', async () => {
    const demo = await seedDemo();
    const chatbotId = await pipelineBot(demo.teamId, {
      nodes: [
        { id: 'start', kind: 'start', settings: {} },
        { id: 'llm', kind: 'llm', settings: llm() },
        { id: 'say', kind: 'reply', settings: {} },
        { id: 'end', kind: 'end', settings: { reply: false } },
      ],
      edges: [
        { from: 'start', to: 'llm' },
        { from: 'llm', to: 'say' },
        { from: 'say', to: 'end' },
      ],
      settings,
    });
    const conversationId = await startConversation(demo.apiKey, chatbotId);
    const events = parseSse(await (await send(demo.apiKey, conversationId, 'hi there')).text());
    expect(events.filter((e) => e.type === 'delta')).toHaveLength(0);
    const replies = completed(events);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.content).toContain('hi there');
  });

  it('a failing node ends the run with its name stored, the fallback reply sent, and no state committed', async () => {
    const demo = await seedDemo();
    const chatbotId = await pipelineBot(demo.teamId, {
      nodes: [
        { id: 'start', kind: 'start', settings: {} },
        { id: 'count', kind: 'set_state', settings: { operations: [{ op: 'increment', scope: 'session', key: 'n' }] } },
        { id: 'broken', kind: 'llm', settings: llm('not-installed') },
        { id: 'say', kind: 'reply', settings: {} },
        { id: 'end', kind: 'end', settings: { reply: false } },
      ],
      edges: [
        { from: 'start', to: 'count' },
        { from: 'count', to: 'broken' },
        { from: 'broken', to: 'say' },
        { from: 'say', to: 'end' },
      ],
      settings: { ...settings, fallbackReply: 'Sorry, something went wrong.' },
    });
    const conversationId = await startConversation(demo.apiKey, chatbotId);
    const events = parseSse(await (await send(demo.apiKey, conversationId, 'hello')).text());
    const [reply] = completed(events);
    expect(reply).toMatchObject({
      content: 'Sorry, something went wrong.',
      status: 'complete',
      metadata: { pipelineError: { nodeId: 'broken', code: 'node_failed' } },
    });
    expect(events.some((e) => e.type === 'node.failed' && e.nodeId === 'broken')).toBe(true);
    expect(await sessionState(conversationId)).toEqual({});
    const trace = (await (
      await SELF.fetch(
        `${BASE}/api/v1/conversations/${conversationId}/messages/${reply?.id}/trace`,
        authed(demo.apiKey),
      )
    ).json()) as MessageTrace;
    expect(trace.status).toBe('failed');
    expect(trace.error).toMatchObject({ nodeId: 'broken' });
    expect(trace.error?.message).toContain('not-installed');
  });

  it('cancel mid-run stops the streamed answer (partial text kept, stopped) and commits no state', async () => {
    const demo = await seedDemo();
    const chatbotId = await pipelineBot(demo.teamId, {
      nodes: [
        { id: 'start', kind: 'start', settings: {} },
        { id: 'count', kind: 'set_state', settings: { operations: [{ op: 'increment', scope: 'session', key: 'n' }] } },
        { id: 'llm', kind: 'llm', settings: llm() },
        { id: 'end', kind: 'end', settings: {} },
      ],
      edges: [
        { from: 'start', to: 'count' },
        { from: 'count', to: 'llm' },
        { from: 'llm', to: 'end' },
      ],
      settings,
    });
    const conversationId = await startConversation(demo.apiKey, chatbotId);
    const res = await send(demo.apiKey, conversationId, 'a long question that I will interrupt');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    while ((text.match(/event: delta/g) ?? []).length < 3) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    const cancel = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/cancel`,
      authed(demo.apiKey, { method: 'POST' }),
    );
    expect(await cancel.json()).toMatchObject({ cancelled: true });
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value);
    const events = parseSse(text);
    const [reply] = completed(events);
    const streamed = events.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');
    expect(reply).toMatchObject({ status: 'stopped', finishReason: 'cancelled', content: streamed });
    expect(streamed.length).toBeGreaterThan(0);
    expect(await sessionState(conversationId)).toEqual({});
  });
});

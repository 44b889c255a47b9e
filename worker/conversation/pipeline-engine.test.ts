import { abortAllDurableObjects, env, runInDurableObject, SELF } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, inject, it, vi } from 'vitest';
import { addChatbot, authed, BASE, readUntil, seedDemo, startConversation } from '../../test/seed.ts';
import { parseSse } from '../../test/sse.ts';
import type { ChatbotDefinition } from '../chatbots/definition.ts';
import { forgetTeamChatbots } from '../chatbots/start-cache.ts';
import { database } from '../db/client.ts';
import { chatbots, chatbotVersions, messages as messagesTable } from '../db/schema/index.ts';
import { listSunkEmail } from '../email/local-sink.ts';
import { newId } from '../ids.ts';
import type { PipelineDefinition } from '../pipelines/definition.ts';
import { openSession, seedWidget, widgetFetch } from '../widget/testing.ts';
import { PipelineStore } from './pipeline-store.ts';
import type { ConversationEvent, ConversationMessage } from './protocol.ts';
import { conversationStub } from './stub.ts';
import type { MessageTrace } from './trace.ts';

/** The engine's guarantees at the level of the conversation object: real turns, real storage, real fakes. */

const echo = inject('fakeServers')['http-echo'] as string;
const settings = { burstPolicy: 'queue' as const, welcomeMessage: '', starterQuestions: [] };
type Graph = Omit<PipelineDefinition, 'schemaVersion'>;
type Node = Graph['nodes'][number];

const llm = (extra: Record<string, unknown> = {}) => ({
  providerId: 'offline',
  credentialId: null,
  model: 'offline-echo',
  systemPrompt: '',
  parameters: {},
  tools: [],
  maxToolSteps: 1,
  ...extra,
});
const node = (id: string, kind: string, nodeSettings: Record<string, unknown> = {}, extra: Partial<Node> = {}) =>
  ({ id, kind, settings: nodeSettings, ...extra }) as Node;
const chain = (...ids: string[]) => ids.slice(1).map((to, i) => ({ from: ids[i] as string, to }));
const increment = (key: string) => ({ operations: [{ op: 'increment', scope: 'session', key }] });
const asDefinition = (graph: Graph) => ({ schemaVersion: 2, ...graph }) as unknown as ChatbotDefinition;

/** A credential for the real OpenAI plugin pointed at the fake server, without the SDK's own retries. */
const openaiCredential = () => ({
  id: `cred_${crypto.randomUUID()}`,
  providerId: 'openai',
  settings: { baseUrl: inject('fakeServers').openai, maxRetries: 0 },
  secrets: { apiKey: 'test-key' },
});

async function bot(graph: Graph, credential?: ReturnType<typeof openaiCredential>) {
  const demo = await seedDemo();
  const chatbotId = await addChatbot(demo.teamId, asDefinition(graph), credential);
  return { demo, chatbotId, conversationId: await startConversation(demo.apiKey, chatbotId) };
}

const post = (apiKey: string, conversationId: string, text: string, stream = true) =>
  SELF.fetch(
    `${BASE}/api/v1/conversations/${conversationId}/messages`,
    authed(apiKey, {
      method: 'POST',
      body: JSON.stringify({ text }),
      headers: stream ? { accept: 'text/event-stream' } : {},
    }),
  );
const turn = async (apiKey: string, conversationId: string, text: string) =>
  parseSse(await (await post(apiKey, conversationId, text)).text());
const replies = (events: ConversationEvent[]) =>
  events.flatMap((e) => (e.type === 'message.completed' && e.message.role === 'assistant' ? [e.message] : []));

const stubOf = (conversationId: string) => env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(conversationId));
const inObject = <T>(conversationId: string, read: (pipelines: PipelineStore, sql: SqlStorage) => T) =>
  runInDurableObject(stubOf(conversationId), (_instance, state) =>
    read(new PipelineStore(state.storage.sql), state.storage.sql),
  );
const sessionState = (conversationId: string) => inObject(conversationId, (pipelines) => pipelines.sessionState());
/** Every event the object logged, across instances (a woken object continues the same log). */
const eventLog = (conversationId: string) =>
  inObject(conversationId, (_pipelines, sql) =>
    sql
      .exec<{ data: string }>('SELECT data FROM events ORDER BY seq')
      .toArray()
      .map((row) => JSON.parse(row.data) as ConversationEvent),
  );
const starts = (events: ConversationEvent[], nodeId: string) =>
  events.filter((e) => e.type === 'node.started' && e.nodeId === nodeId);

async function messages(apiKey: string, conversationId: string): Promise<ConversationMessage[]> {
  const res = await SELF.fetch(`${BASE}/api/v1/conversations/${conversationId}/messages`, authed(apiKey));
  return ((await res.json()) as { data: ConversationMessage[] }).data;
}

async function trace(apiKey: string, conversationId: string, messageId: string): Promise<MessageTrace> {
  const res = await SELF.fetch(
    `${BASE}/api/v1/conversations/${conversationId}/messages/${messageId}/trace`,
    authed(apiKey),
  );
  expect(res.status).toBe(200);
  return (await res.json()) as MessageTrace;
}

/** Waits (polling the API) until the conversation's replies satisfy `done`. */
async function repliesWhen(apiKey: string, conversationId: string, done: (replies: ConversationMessage[]) => boolean) {
  let found: ConversationMessage[] = [];
  await vi.waitFor(
    async () => {
      found = (await messages(apiKey, conversationId)).filter((m) => m.role === 'assistant');
      expect(done(found)).toBe(true);
    },
    { timeout: 20_000, interval: 100 },
  );
  return found;
}

describe('eviction mid-run', () => {
  // start → count → mail → slow (a buffered model call, ~15 ms a word) → say → end: cut off while `slow` runs.
  const slowGraph: Graph = {
    nodes: [
      node('start', 'start'),
      node('count', 'set_state', increment('a')),
      node('mail', 'send_email', { to: 'ops@example.com', subject: 'New question', body: '{{ run_input }}' }),
      // Keeps a named history: its append is the run's until the run commits, across the eviction.
      node('note', 'llm', llm({ history: { mode: 'named', name: 'notes' }, parameters: { maxTokens: 3 } })),
      node('slow', 'llm', llm()),
      node('say', 'reply'),
      node('end', 'end', { reply: false }),
    ],
    edges: chain('start', 'count', 'mail', 'note', 'slow', 'say', 'end'),
    settings,
  };

  it('resumes a run cut off after a node completed: that node is not run again and the turn completes', async () => {
    const { demo, conversationId } = await bot(slowGraph);
    expect(await listSunkEmail(env, demo.teamId)).toEqual([]);
    const question = 'please resume this run after the object is evicted in the middle of a slow node';
    const cut = parseSse(
      await readUntil(await post(demo.apiKey, conversationId, question), (text) =>
        parseSse(text).some((e) => e.type === 'node.started' && e.nodeId === 'slow'),
      ),
    );
    expect(starts(cut, 'count')).toHaveLength(1);
    await abortAllDurableObjects();

    // Waking the object (any call) queues the run again; it continues from its checkpoint.
    const [reply] = await repliesWhen(demo.apiKey, conversationId, (found) =>
      found.some((m) => m.status === 'complete'),
    );
    expect(reply).toMatchObject({ status: 'complete', error: null });
    expect(reply?.content).toContain('offline');
    const log = await eventLog(conversationId);
    expect(starts(log, 'count')).toHaveLength(1);
    expect(starts(log, 'mail')).toHaveLength(1);
    expect(starts(log, 'slow')).toHaveLength(2);
    expect((await listSunkEmail(env, demo.teamId)).map((mail) => mail.text)).toEqual([question]);
    // The same run, under the same ids: one reply, its trace the whole path with `count` applied once.
    const runTrace = await trace(demo.apiKey, conversationId, reply?.id ?? '');
    expect(runTrace).toMatchObject({
      status: 'completed',
      path: ['start', 'count', 'mail', 'note', 'slow', 'say', 'end'],
    });
    const [started] = starts(cut, 'count');
    expect(started?.type === 'node.started' && started.runId).toBe(runTrace.runId);
    expect(await sessionState(conversationId)).toEqual({ a: 1 });
    const notes = await inObject(conversationId, (pipelines) => pipelines.history('named:notes'));
    expect(notes.map((message) => message.role)).toEqual(['user', 'assistant']);

    // The next turn works and sees the committed state.
    const next = replies(await turn(demo.apiKey, conversationId, 'and again'));
    expect(next.map((m) => m.status)).toEqual(['complete']);
    expect(await sessionState(conversationId)).toEqual({ a: 2 });
    expect((await messages(demo.apiKey, conversationId)).map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
  });

  it('closes a run evicted a third time as interrupted instead of resuming it for ever', async () => {
    const { demo, conversationId } = await bot(slowGraph);
    const slowStarted = (text: string) => parseSse(text).some((e) => e.type === 'node.started' && e.nodeId === 'slow');
    let seen = parseSse(await readUntil(await post(demo.apiKey, conversationId, 'evict me'), slowStarted));
    for (let cut = 1; cut <= 3; cut++) {
      await abortAllDurableObjects();
      if (cut === 3) break;
      // Reconnecting wakes the object; the resumed run reaches `slow` again, and is cut off again.
      const after = seen.at(-1)?.seq ?? 0;
      const events = await SELF.fetch(
        `${BASE}/api/v1/conversations/${conversationId}/events?after=${after}`,
        authed(demo.apiKey, { headers: { accept: 'text/event-stream' } }),
      );
      seen = parseSse(await readUntil(events, slowStarted));
    }
    const [reply] = await repliesWhen(demo.apiKey, conversationId, (list) => list.length === 1);
    expect(reply).toMatchObject({ status: 'error', error: { code: 'interrupted' } });
    expect(starts(await eventLog(conversationId), 'slow')).toHaveLength(3);
    expect(await sessionState(conversationId)).toEqual({});
  });

  it('answers a message sent while a run waits to resume in a turn of its own, also with the merge policy', async () => {
    const { demo, conversationId } = await bot({ ...slowGraph, settings: { ...settings, burstPolicy: 'merge' } });
    await readUntil(await post(demo.apiKey, conversationId, 'first question'), (text) =>
      parseSse(text).some((e) => e.type === 'node.started' && e.nodeId === 'slow'),
    );
    await abortAllDurableObjects();
    // This message wakes the object: the cut-off turn is queued to resume, and this one must not merge into it.
    const second = await post(demo.apiKey, conversationId, 'second question', false);
    expect(second.status).toBe(201);
    const found = await repliesWhen(
      demo.apiKey,
      conversationId,
      (list) => list.length === 2 && list.every((m) => m.status === 'complete'),
    );
    // The second message was stored while the first turn waited: each turn answers its own, in order.
    const all = await messages(demo.apiKey, conversationId);
    expect(all.map((m) => m.role)).toEqual(['user', 'user', 'assistant', 'assistant']);
    expect(new Set(all.map((m) => m.turnId)).size).toBe(2);
    expect(found.map((m) => m.turnId)).toEqual([all[0]?.turnId, all[1]?.turnId]);
    expect(await sessionState(conversationId)).toEqual({ a: 2 });
  });

  it('closes a run whose reply was streaming as interrupted; its state never appears, the next turn works', async () => {
    const { demo, conversationId } = await bot({
      nodes: [
        node('start', 'start'),
        node('count', 'set_state', increment('n')),
        node('llm', 'llm', llm()),
        node('end', 'end'),
      ],
      edges: chain('start', 'count', 'llm', 'end'),
      settings,
    });
    expect(replies(await turn(demo.apiKey, conversationId, 'first turn')).map((m) => m.status)).toEqual(['complete']);
    expect(await sessionState(conversationId)).toEqual({ n: 1 });

    const cut = parseSse(
      await readUntil(await post(demo.apiKey, conversationId, 'a second turn that is cut off mid-stream'), (text) =>
        parseSse(text).some((e) => e.type === 'delta'),
      ),
    );
    await abortAllDurableObjects();
    const found = await repliesWhen(demo.apiKey, conversationId, (list) => list.length === 2);
    const interrupted = found[1] as ConversationMessage;
    expect(interrupted).toMatchObject({ status: 'error', error: { code: 'interrupted' } });
    const shown = cut.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');
    expect(interrupted.content.startsWith(shown)).toBe(true);
    expect(interrupted.content.length).toBeGreaterThan(0);
    expect((await trace(demo.apiKey, conversationId, interrupted.id)).status).toBe('failed');
    // The interrupted run's increment was never committed; turn 1's survived.
    expect(await sessionState(conversationId)).toEqual({ n: 1 });

    expect(replies(await turn(demo.apiKey, conversationId, 'third turn')).map((m) => m.status)).toEqual(['complete']);
    expect(await sessionState(conversationId)).toEqual({ n: 2 });
    expect(starts(await eventLog(conversationId), 'count')).toHaveLength(3);
  });
});

describe('retries, timeouts and bounds in a real turn', () => {
  const failedEvents = (events: ConversationEvent[], nodeId: string) =>
    events.flatMap((e) => (e.type === 'node.failed' && e.nodeId === nodeId ? [e] : []));

  it('retries a node that fails once with backoff, streaming the retry into the one reply; spent attempts fail it', async () => {
    const credential = openaiCredential();
    const graph = (model: string): Graph => ({
      nodes: [
        node('start', 'start'),
        node('llm', 'llm', llm({ providerId: 'openai', credentialId: credential.id, model }), {
          retry: { attempts: 2, backoffMs: 50 },
        }),
        node('end', 'end'),
      ],
      edges: chain('start', 'llm', 'end'),
      settings: { ...settings, fallbackReply: 'Sorry, try again later.' },
    });
    const { demo, conversationId } = await bot(graph('fake-429-once'), credential);
    const question = `retry me ${crypto.randomUUID()}`;
    const events = await turn(demo.apiKey, conversationId, question);
    const [failure] = failedEvents(events, 'llm');
    expect(failure).toMatchObject({ attempt: 1, willRetry: true });
    expect(failure?.error).toMatch(/429/);
    const retry = events.find((e) => e.type === 'node.started' && e.nodeId === 'llm' && e.attempt === 2);
    // The backoff (50 ms before attempt 2) is waited out on the object's clock.
    expect((retry?.at ?? 0) - (failure?.at ?? 0)).toBeGreaterThanOrEqual(50);
    const [reply] = replies(events);
    expect(replies(events)).toHaveLength(1);
    expect(reply).toMatchObject({ status: 'complete', error: null });
    expect(reply?.content).toContain(question);
    // The failed first attempt showed nothing: its retry streamed into the same message, created once.
    expect(events.filter((e) => e.type === 'message.created' && e.message.role === 'assistant')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'delta').map((e) => (e.type === 'delta' ? e.messageId : ''))).toContain(
      reply?.id,
    );
    const runTrace = await trace(demo.apiKey, conversationId, reply?.id ?? '');
    expect(runTrace.trace.find((entry) => entry.nodeId === 'llm')).toMatchObject({ status: 'completed', attempts: 2 });

    // Always 429: both attempts fail, the run fails naming the node, the user gets the fallback.
    const chatbotId = await addChatbot(demo.teamId, asDefinition(graph('fake-429')));
    const spent = await turn(demo.apiKey, await startConversation(demo.apiKey, chatbotId), 'again');
    expect(failedEvents(spent, 'llm').map((e) => e.willRetry)).toEqual([true, false]);
    const fallback = replies(spent).at(-1);
    expect(fallback).toMatchObject({
      content: 'Sorry, try again later.',
      metadata: { pipelineError: { nodeId: 'llm', code: 'node_failed' } },
    });
  });

  it('times a node out naming it, and bounds a run by node executions and by wall time', async () => {
    const slowFetch = (extra: Partial<Node> = {}) =>
      node('fetch', 'http_request', { method: 'GET', url: `${echo}/slow` }, extra);
    const { demo, conversationId } = await bot({
      nodes: [node('start', 'start'), slowFetch({ timeoutMs: 200 }), node('end', 'end')],
      edges: chain('start', 'fetch', 'end'),
      settings: { ...settings, fallbackReply: 'Too slow.' },
    });
    const [timedOut] = replies(await turn(demo.apiKey, conversationId, 'hi'));
    expect(timedOut).toMatchObject({
      content: 'Too slow.',
      metadata: { pipelineError: { nodeId: 'fetch', code: 'timeout' } },
    });
    expect((await trace(demo.apiKey, conversationId, timedOut?.id ?? '')).error?.message).toMatch(/timed out/);

    const boundedBot = async (graph: Graph) => {
      const chatbotId = await addChatbot(demo.teamId, asDefinition(graph));
      return replies(await turn(demo.apiKey, await startConversation(demo.apiKey, chatbotId), 'go')).at(-1);
    };
    const steps = ['a', 'b', 'c'].map((id) => node(id, 'template', { template: id }));
    const overRuns = await boundedBot({
      nodes: [node('start', 'start'), ...steps, node('end', 'end')],
      edges: chain('start', 'a', 'b', 'c', 'end'),
      limits: { maxNodeRuns: 3 },
      settings: { ...settings, fallbackReply: 'Bounded.' },
    });
    expect(overRuns?.metadata.pipelineError).toMatchObject({ nodeId: 'c', code: 'node_runs_exceeded' });
    const overTime = await boundedBot({
      nodes: [node('start', 'start'), slowFetch(), node('end', 'end')],
      edges: chain('start', 'fetch', 'end'),
      limits: { maxWallMs: 1_000 },
      settings: { ...settings, fallbackReply: 'Bounded.' },
    });
    expect(overTime?.metadata.pipelineError).toMatchObject({ nodeId: null, code: 'wall_time_exceeded' });
  });

  it('runs parallel branches in one superstep; a join gets its inputs and state merges in definition order', async () => {
    const { demo, conversationId } = await bot({
      nodes: [
        node('start', 'start'),
        // Listed first but slower (a real HTTP round trip): completion order is fast, then slow.
        node('slow', 'http_request', { method: 'GET', url: `${echo}/echo` }),
        node('fast', 'template', { template: 'fast' }),
        node('second', 'set_state', {
          operations: [
            { op: 'append', scope: 'session', key: 'log', value: 'second' },
            { op: 'assign', scope: 'session', key: 'winner', value: 'second' },
          ],
        }),
        node('first', 'set_state', {
          operations: [
            { op: 'append', scope: 'session', key: 'log', value: 'first' },
            { op: 'assign', scope: 'session', key: 'winner', value: 'first' },
          ],
        }),
        node('join', 'code', { code: 'function main(input, ctx) { return ctx.inputs.map((i) => i.from).join(","); }' }),
        node('end', 'end'),
      ],
      edges: [
        { from: 'start', to: 'fast' },
        { from: 'start', to: 'slow' },
        { from: 'start', to: 'second' },
        { from: 'start', to: 'first' },
        { from: 'slow', to: 'join' },
        { from: 'fast', to: 'join' },
        { from: 'join', to: 'end' },
      ],
      settings,
    });
    for (let i = 0; i < 2; i++) {
      const [reply] = replies(await turn(demo.apiKey, conversationId, 'go'));
      expect(reply?.content).toBe('slow,fast');
      const runTrace = await trace(demo.apiKey, conversationId, reply?.id ?? '');
      const superstep = (id: string) => runTrace.trace.find((entry) => entry.nodeId === id)?.superstep;
      expect(['slow', 'fast', 'second', 'first'].map(superstep)).toEqual([1, 1, 1, 1]);
      expect(superstep('join')).toBe(2);
    }
    // Appends in definition order (`second` is listed before `first`), and the later node's assignment wins.
    expect(await sessionState(conversationId)).toEqual({
      log: ['second', 'first', 'second', 'first'],
      winner: 'first',
    });
  });

  it("drops a retried node's history writes from the failed attempt: the history holds one exchange", async () => {
    const credential = openaiCredential();
    const settingsOf = llm({
      providerId: 'openai',
      credentialId: credential.id,
      model: 'fake-stall-once',
      history: { mode: 'node' },
    });
    const { demo, conversationId } = await bot(
      {
        nodes: [
          node('start', 'start'),
          // The first attempt stalls after one word and times out; its model call then returns the partial answer,
          // which the node appends to its history after the attempt is over.
          node('llm', 'llm', settingsOf, { retry: { attempts: 2, backoffMs: 0 }, timeoutMs: 500 }),
          node('say', 'reply'),
          node('end', 'end', { reply: false }),
        ],
        edges: chain('start', 'llm', 'say', 'end'),
        settings,
      },
      credential,
    );
    const question = `remember me ${crypto.randomUUID()}`;
    const events = await turn(demo.apiKey, conversationId, question);
    expect(failedEvents(events, 'llm')).toMatchObject([{ attempt: 1, willRetry: true }]);
    const [reply] = replies(events);
    expect(reply?.content).toContain(question);
    const history = await inObject(conversationId, (pipelines) => pipelines.history('node:llm'));
    expect(history).toEqual([
      { role: 'user', content: question },
      { role: 'assistant', content: reply?.content },
    ]);
  });
});

describe('version pinning', () => {
  it('a conversation runs the version published when it started; a publish changes only later conversations', async () => {
    const saying = (text: string): Graph => ({
      nodes: [node('start', 'start'), node('say', 'reply', { text }), node('end', 'end', { reply: false })],
      edges: chain('start', 'say', 'end'),
      settings,
    });
    const { demo, chatbotId, conversationId: early } = await bot(saying('version one'));
    const say = async (conversationId: string) =>
      replies(await turn(demo.apiKey, conversationId, 'hello')).map((m) => m.content);
    expect(await say(early)).toEqual(['version one']);
    const unused = await startConversation(demo.apiKey, chatbotId);

    // Publish version 2 mid-conversation.
    const db = database(env.DB);
    const now = Date.now();
    const versionId = newId('ver', now);
    await db.insert(chatbotVersions).values({
      id: versionId,
      teamId: demo.teamId,
      chatbotId,
      number: 2,
      status: 'published',
      definition: asDefinition(saying('version two')),
      createdAt: now,
    });
    await db
      .update(chatbots)
      .set({ publishedVersionId: versionId })
      .where(and(eq(chatbots.id, chatbotId), eq(chatbots.teamId, demo.teamId)));
    // Published behind the API's back: drop what this isolate keeps to start conversations, as the publish route does.
    forgetTeamChatbots(demo.teamId);

    expect(await say(early)).toEqual(['version one']);
    // Pinned when it was started, not at its first message.
    expect(await say(unused)).toEqual(['version one']);
    expect(await say(await startConversation(demo.apiKey, chatbotId))).toEqual(['version two']);
  });
});

describe('tags', () => {
  const tagsOf = async (apiKey: string, path: string) =>
    (
      (await (await SELF.fetch(`${BASE}/api/v1/conversations/${path}/tags`, authed(apiKey))).json()) as {
        tags: string[];
      }
    ).tags;
  const outboxRuns = (conversationId: string) =>
    inObject(conversationId, (_pipelines, sql) =>
      sql.exec<{ id: string }>("SELECT message_id AS id FROM outbox WHERE message_id LIKE 'run_%'").toArray(),
    );

  it("applies a successful run's tags through the outbox: the router's route on the reply, code tags deduplicated", async () => {
    const { demo, conversationId } = await bot({
      nodes: [
        node('start', 'start'),
        node('route', 'llm_router', {
          providerId: 'offline',
          credentialId: null,
          model: 'offline-echo',
          prompt: 'Pick a route.',
          routes: [
            { name: 'billing', description: 'Questions about invoices' },
            { name: 'other', description: 'Anything else' },
          ],
          defaultRoute: 'other',
          tagReply: true,
        }),
        node('mark', 'code', {
          code: `function main(input) {
            add_tag('vip', 'conversation');
            add_tag('answered');
            add_tag('answered');
            return 'About your invoice';
          }`,
        }),
        node('end', 'end'),
        node('other', 'template', { template: 'Something else' }),
        node('end2', 'end'),
      ],
      edges: [
        { from: 'start', to: 'route' },
        { from: 'route', fromPort: 'billing', to: 'mark' },
        { from: 'mark', to: 'end' },
        { from: 'route', fromPort: 'other', to: 'other' },
        { from: 'other', to: 'end2' },
      ],
      settings,
    });
    const [reply] = replies(await turn(demo.apiKey, conversationId, 'billing'));
    expect(reply?.content).toBe('About your invoice');
    const replyTags = `${conversationId}/messages/${reply?.id}`;
    await vi.waitFor(
      async () => {
        expect(await tagsOf(demo.apiKey, replyTags)).toEqual(['answered', 'route:billing']);
        expect(await tagsOf(demo.apiKey, conversationId)).toEqual(['vip']);
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(await outboxRuns(conversationId)).toEqual([]);

    // Added once: an operator's removal stays when the message is copied to D1 again (a rating re-copies it).
    const put = await SELF.fetch(
      `${BASE}/api/v1/conversations/${replyTags}/tags`,
      authed(demo.apiKey, { method: 'PUT', body: JSON.stringify({ tags: [] }) }),
    );
    expect(put.status).toBe(200);
    await conversationStub(env, conversationId).feedback(reply?.id ?? '', 'up');
    await vi.waitFor(
      async () => {
        const [row] = await database(env.DB)
          .select({ rating: messagesTable.rating })
          .from(messagesTable)
          .where(and(eq(messagesTable.conversationId, conversationId), eq(messagesTable.id, reply?.id ?? '')));
        expect(row?.rating).toBe('up');
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(await tagsOf(demo.apiKey, replyTags)).toEqual([]);
  });

  it('applies no tag of a failed run', async () => {
    const { demo, conversationId } = await bot({
      nodes: [
        node('start', 'start'),
        node('mark', 'code', {
          code: "function main(input) { add_tag('never', 'conversation'); add_tag('nope'); return input; }",
        }),
        node('broken', 'llm', llm({ providerId: 'not-installed' })),
        node('end', 'end'),
      ],
      edges: chain('start', 'mark', 'broken', 'end'),
      settings: { ...settings, fallbackReply: 'Sorry.' },
    });
    const [reply] = replies(await turn(demo.apiKey, conversationId, 'hi')).slice(-1);
    expect(reply?.content).toBe('Sorry.');
    // Once the reply is in D1, everything the run queued has been copied: no tags were.
    await vi.waitFor(
      async () => {
        const rows = await database(env.DB)
          .select({ id: messagesTable.id })
          .from(messagesTable)
          .where(eq(messagesTable.conversationId, conversationId));
        expect(rows.map((row) => row.id)).toContain(reply?.id);
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(await outboxRuns(conversationId)).toEqual([]);
    expect(await tagsOf(demo.apiKey, conversationId)).toEqual([]);
    expect(await tagsOf(demo.apiKey, `${conversationId}/messages/${reply?.id}`)).toEqual([]);
  });
  it('keeps at most 20 tags per conversation (the first ones), across runs; a tag over 50 characters fails its node', async () => {
    const { demo, conversationId } = await bot({
      nodes: [
        node('start', 'start'),
        node('mark', 'code', {
          code: `function main(input) {
            if (input === 'long') add_tag('x'.repeat(51), 'conversation');
            for (let i = 1; i <= 25; i++) add_tag(input + String(i).padStart(2, '0'), 'conversation');
            add_tag(input + '-reply');
            return 'tagged';
          }`,
        }),
        node('end', 'end'),
      ],
      edges: chain('start', 'mark', 'end'),
      settings: { ...settings, fallbackReply: 'Sorry.' },
    });
    const expected = Array.from({ length: 20 }, (_, i) => `a${String(i + 1).padStart(2, '0')}`);
    expect(replies(await turn(demo.apiKey, conversationId, 'a')).map((m) => m.content)).toEqual(['tagged']);
    await vi.waitFor(async () => expect(await tagsOf(demo.apiKey, conversationId)).toEqual(expected), {
      timeout: 15_000,
      interval: 100,
    });
    // A second run's tags find the conversation full (its reply tag, copied in the same batch, shows it was applied).
    const [second] = replies(await turn(demo.apiKey, conversationId, 'b'));
    await vi.waitFor(
      async () => expect(await tagsOf(demo.apiKey, `${conversationId}/messages/${second?.id}`)).toEqual(['b-reply']),
      { timeout: 15_000, interval: 100 },
    );
    expect(await tagsOf(demo.apiKey, conversationId)).toEqual(expected);
    const [failed] = replies(await turn(demo.apiKey, conversationId, 'long'));
    expect(failed?.metadata.pipelineError).toMatchObject({ nodeId: 'mark', code: 'node_failed' });
  });
});

describe('the channel a node sees', () => {
  it('is widget for a widget conversation and api for an API one', async () => {
    const { demo } = await seedWidget();
    const graph: Graph = {
      nodes: [
        node('start', 'start'),
        node('where', 'code', { code: 'function main(input, ctx) { return ctx.conversation.channel; }' }),
        node('end', 'end'),
      ],
      edges: chain('start', 'where', 'end'),
      settings,
    };
    await database(env.DB)
      .update(chatbotVersions)
      .set({ definition: asDefinition(graph) })
      .where(and(eq(chatbotVersions.chatbotId, demo.chatbotId), eq(chatbotVersions.teamId, demo.teamId)));

    const session = await openSession({ widgetKey: demo.widgetKey });
    const sent = await widgetFetch(`/conversations/${session.conversationId}/messages`, session.token, {
      method: 'POST',
      body: JSON.stringify({ text: 'where am I?', clientMessageId: 'where-1' }),
    });
    expect(sent.status).toBe(202);
    let widgetReply: ConversationMessage | undefined;
    await vi.waitFor(
      async () => {
        const res = await widgetFetch(`/conversations/${session.conversationId}/messages`, session.token);
        const { data } = (await res.json()) as { data: ConversationMessage[] };
        widgetReply = data.find((m) => m.role === 'assistant' && m.status === 'complete');
        expect(widgetReply).toBeDefined();
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(widgetReply?.content).toBe('widget');

    const apiConversation = await startConversation(demo.apiKey, demo.chatbotId);
    expect(replies(await turn(demo.apiKey, apiConversation, 'and here?')).map((m) => m.content)).toEqual(['api']);
  });
});

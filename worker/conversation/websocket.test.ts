import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { addChatbot, authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import type { ChatbotDefinition } from '../chatbots/definition.ts';
import type { ConversationEvent } from './protocol.ts';

/** A WebSocket client on the conversation, collecting every frame it receives. */
async function connect(apiKey: string, conversationId: string, after = 0, query = '') {
  const res = await SELF.fetch(
    `${BASE}/api/v1/conversations/${conversationId}/ws?after=${after}${query}`,
    authed(apiKey, { headers: { upgrade: 'websocket' } }),
  );
  expect(res.status).toBe(101);
  const ws = res.webSocket as WebSocket;
  ws.accept();
  const frames: unknown[] = [];
  const waiters: (() => void)[] = [];
  ws.addEventListener('message', (event) => {
    frames.push(typeof event.data === 'string' && event.data !== 'pong' ? JSON.parse(event.data) : event.data);
    for (const wake of waiters.splice(0)) wake();
  });
  const events = () => frames.filter((f): f is ConversationEvent => typeof f === 'object' && f !== null && 'seq' in f);
  const until = async (done: () => boolean, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out; frames: ${JSON.stringify(frames).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  };
  return { ws, frames, events, until };
}

const replyCompleted = (events: ConversationEvent[]) =>
  events.some((e) => e.type === 'message.completed' && e.message.role === 'assistant');

describe('WebSocket transport', () => {
  it('sends a message, streams the reply, answers pings, and resumes with exactly the missing events', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const first = await connect(demo.apiKey, conversationId);
    first.ws.send(JSON.stringify({ type: 'message.send', text: 'over the socket', clientMessageId: 'ws-1' }));
    await first.until(() => first.events().filter((e) => e.type === 'delta').length >= 5);
    first.ws.send('ping');
    await first.until(() => first.frames.includes('pong'));
    // Network blip: the client drops and reconnects from the last seq it saw.
    const lastSeen = first.events().at(-1)?.seq ?? 0;
    first.ws.close(1000, 'blip');
    const second = await connect(demo.apiKey, conversationId, lastSeen);
    await second.until(() => replyCompleted(second.events()));

    const all = [...first.events().filter((e) => e.seq <= lastSeen), ...second.events()];
    const seqs = all.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1)); // none missing, none twice
    const text = all.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');
    const completed = all.find((e) => e.type === 'message.completed' && e.message.role === 'assistant');
    expect(completed?.type === 'message.completed' && completed.message.content).toBe(text);
    second.ws.close(1000);
  });

  it('gives a socket resuming after any seq of a coalesced reply exactly the events after it, in order', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const live = await connect(demo.apiKey, conversationId);
    live.ws.send(JSON.stringify({ type: 'message.send', text: 'cut me anywhere', clientMessageId: 'cut-1' }));
    // Reconnect mid-stream after each of the first deltas (text may be held back at that moment), then at the end.
    const resumed: { after: number; client: Awaited<ReturnType<typeof connect>> }[] = [];
    for (let count = 1; count <= 3; count++) {
      await live.until(() => live.events().filter((e) => e.type === 'delta').length >= count);
      const after = live.events().at(-1)?.seq ?? 0;
      resumed.push({ after, client: await connect(demo.apiKey, conversationId, after) });
    }
    await live.until(() => replyCompleted(live.events()));
    const all = live.events();
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    for (let after = 0; after <= all.length; after += 1) {
      if (after % 3 !== 0 && after !== all.length) continue; // a few late cuts too, on the finished log
      resumed.push({ after, client: await connect(demo.apiKey, conversationId, after) });
    }
    for (const { after, client } of resumed) {
      const last = all.at(-1)?.seq ?? 0;
      // Resuming after the last seq replays nothing: give it a moment to be sure nothing comes.
      if (after < last) await client.until(() => client.events().at(-1)?.seq === last);
      else await new Promise((resolve) => setTimeout(resolve, 100));
      expect(client.events()).toEqual(all.filter((e) => e.seq > after));
      client.ws.close(1000);
    }
    const text = all.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');
    const completed = all.find((e) => e.type === 'message.completed' && e.message.role === 'assistant');
    expect(completed?.type === 'message.completed' && completed.message.content).toBe(text);
    live.ws.close(1000);
  });

  it('sends pipeline node progress only to sockets opened with nodeEvents=true, live and replayed', async () => {
    const demo = await seedDemo();
    const llm = { providerId: 'offline', credentialId: null, model: 'offline-echo', systemPrompt: '' };
    const chatbotId = await addChatbot(demo.teamId, {
      schemaVersion: 2,
      nodes: [
        { id: 'start', kind: 'start', settings: {} },
        { id: 'render', kind: 'template', settings: { template: 'Echo: {{ input }}' } },
        { id: 'llm', kind: 'llm', settings: { ...llm, parameters: {}, tools: [], maxToolSteps: 1 } },
        { id: 'end', kind: 'end', settings: {} },
      ],
      edges: [
        { from: 'start', to: 'render' },
        { from: 'render', to: 'llm' },
        { from: 'llm', to: 'end' },
      ],
      settings: { burstPolicy: 'queue', welcomeMessage: '', starterQuestions: [] },
    } as unknown as ChatbotDefinition);
    const conversationId = await startConversation(demo.apiKey, chatbotId);
    const everything = await connect(demo.apiKey, conversationId, 0, '&nodeEvents=true');
    const quiet = await connect(demo.apiKey, conversationId);
    quiet.ws.send(JSON.stringify({ type: 'message.send', text: 'hello pipeline', clientMessageId: 'np-1' }));
    await everything.until(() => replyCompleted(everything.events()));
    await quiet.until(() => replyCompleted(quiet.events()));

    const isNode = (e: ConversationEvent) => e.type.startsWith('node.');
    const all = everything.events();
    expect(all.filter(isNode).map((e) => e.type === 'node.started' && e.nodeId)).toContain('render');
    // The same log, node progress left out: every other event, in order, with its stored seq.
    expect(quiet.events()).toEqual(all.filter((e) => !isNode(e)));
    const replayed = await connect(demo.apiKey, conversationId);
    await replayed.until(() => replyCompleted(replayed.events()));
    expect(replayed.events()).toEqual(all.filter((e) => !isNode(e)));
    const full = await connect(demo.apiKey, conversationId, 0, '&nodeEvents=true');
    await full.until(() => replyCompleted(full.events()));
    expect(full.events()).toEqual(all);
    for (const client of [everything, quiet, replayed, full]) client.ws.close(1000);
  });

  it('rejects bad frames without closing, and refuses a plain GET', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const client = await connect(demo.apiKey, conversationId);
    client.ws.send('not json');
    client.ws.send(JSON.stringify({ type: 'message.send', text: '' }));
    await client.until(() => client.frames.length >= 2);
    expect(client.frames).toEqual([
      { type: 'rejected', error: { code: 'invalid_json', message: 'Frame is not valid JSON' } },
      { type: 'rejected', error: { code: 'invalid_request', message: 'Invalid text' } },
    ]);
    client.ws.close(1000);
    const plain = await SELF.fetch(`${BASE}/api/v1/conversations/${conversationId}/ws`, authed(demo.apiKey));
    expect(plain.status).toBe(426);
  });

  it('cancel stops the reply and stores the partial answer as stopped', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const client = await connect(demo.apiKey, conversationId);
    client.ws.send(JSON.stringify({ type: 'message.send', text: 'a long question that I will interrupt' }));
    await client.until(() => client.events().filter((e) => e.type === 'delta').length >= 3);
    const res = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/cancel`,
      authed(demo.apiKey, { method: 'POST' }),
    );
    expect(await res.json()).toMatchObject({ cancelled: true });
    await client.until(() => replyCompleted(client.events()));
    const completed = client.events().find((e) => e.type === 'message.completed' && e.message.role === 'assistant');
    const streamed = client
      .events()
      .flatMap((e) => (e.type === 'delta' ? [e.text] : []))
      .join('');
    expect(completed).toMatchObject({ message: { status: 'stopped', finishReason: 'cancelled', content: streamed } });
    expect(streamed.length).toBeGreaterThan(0);
    // Nothing is running now.
    const again = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/cancel`,
      authed(demo.apiKey, { method: 'POST' }),
    );
    expect(await again.json()).toEqual({ cancelled: false, turnId: null });
    client.ws.close(1000);
  });

  it('refuses new messages once the conversation has ended, on the socket too', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const client = await connect(demo.apiKey, conversationId);
    const ended = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/end`,
      authed(demo.apiKey, { method: 'POST' }),
    );
    expect(ended.status).toBe(200);
    client.ws.send(JSON.stringify({ type: 'message.send', text: 'too late' }));
    await client.until(() => client.frames.length >= 1);
    expect(client.frames[0]).toEqual({
      type: 'rejected',
      error: { code: 'conversation_ended', message: 'This conversation has ended' },
    });
    client.ws.close(1000);
  });
});

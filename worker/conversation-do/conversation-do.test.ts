import { abortAllDurableObjects, env, evictDurableObject, runInDurableObject, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { authed, BASE, readUntil, seedDemo, startConversation } from '../../test/seed.ts';
import { parseSse } from '../../test/sse.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import type { ConversationDO } from './conversation-do.ts';

describe('ConversationDO', () => {
  it('closes a turn cut off by a crash or deploy with a stored, visible error that keeps the streamed text', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const res = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/messages`,
      authed(demo.apiKey, {
        method: 'POST',
        body: JSON.stringify({ text: 'tell me everything' }),
        headers: { accept: 'text/event-stream' },
      }),
    );
    const seen = await readUntil(res, (text) => parseSse(text).filter((e) => e.type === 'delta').length >= 3);
    // A graceful eviction waits for in-flight work (see the next test); a crash or a deploy does not.
    await abortAllDurableObjects();

    const list = await SELF.fetch(`${BASE}/api/v1/conversations/${conversationId}/messages`, authed(demo.apiKey));
    const { data } = (await list.json()) as { data: ConversationMessage[] };
    const reply = data.find((m) => m.role === 'assistant') as ConversationMessage;
    expect(reply.status).toBe('error');
    expect(reply.error?.code).toBe('interrupted');
    const streamed = parseSse(seen)
      .flatMap((e) => (e.type === 'delta' ? [e.text] : []))
      .join('');
    expect(reply.content.startsWith(streamed)).toBe(true);
    expect(reply.content.length).toBeGreaterThan(0);

    // The recovery itself is in the event log, so a client resuming from its last seq learns how the turn ended.
    const lastSeen = parseSse(seen).at(-1)?.seq ?? 0;
    const resumed = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/events`,
      authed(demo.apiKey, { headers: { 'last-event-id': String(lastSeen) } }),
    );
    const tail = parseSse(await readUntil(resumed, (text) => text.includes('message.completed')));
    expect(tail[0]?.seq).toBeGreaterThan(lastSeen);
    expect(tail.map((e) => e.type)).toContain('error');
    expect(tail.find((e) => e.type === 'message.completed')).toMatchObject({ message: { status: 'error' } });

    // The conversation stays usable.
    const next = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/messages`,
      authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ text: 'again' }) }),
    );
    expect(((await next.json()) as { reply: ConversationMessage }).reply.status).toBe('complete');
  });

  it('keeps running a turn after every client is gone, and through a graceful eviction', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const res = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/messages`,
      authed(demo.apiKey, {
        method: 'POST',
        body: JSON.stringify({ text: 'walk away' }),
        headers: { accept: 'text/event-stream' },
      }),
    );
    await readUntil(res, (text) => text.includes('event: delta'));
    // Env names no class (worker/env.ts); this test addresses the class itself.
    const namespace = env.CONVERSATIONS as unknown as DurableObjectNamespace<ConversationDO>;
    const stub = namespace.get(namespace.idFromName(conversationId));
    await evictDurableObject(stub);
    await expect
      .poll(
        async () =>
          runInDurableObject(stub, async (instance: ConversationDO) => (await instance.listMessages()).at(-1)?.status),
        {
          timeout: 10_000,
          interval: 100,
        },
      )
      .toBe('complete');
  });
});

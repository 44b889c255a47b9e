import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { offlineReply, tokenize } from '../../plugins/providers/offline/reply.ts';
import { authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import { parseSse } from '../../test/sse.ts';
import type { ConversationEvent, ConversationMessage } from '../conversation/protocol.ts';
import { database } from '../db/client.ts';
import { apiKeys, conversations, messages } from '../db/schema/index.ts';
import worker from '../index.ts';
import type { QueueMessage } from '../queue/messages.ts';
import { generateApiKey } from '../security/api-keys.ts';

function send(apiKey: string, conversationId: string, body: unknown, accept = 'text/event-stream') {
  return SELF.fetch(
    `${BASE}/api/v1/conversations/${conversationId}/messages`,
    authed(apiKey, { method: 'POST', body: JSON.stringify(body), headers: { accept } }),
  );
}

const completedReply = (events: ConversationEvent[]) =>
  events.find(
    (e): e is Extract<ConversationEvent, { type: 'message.completed' }> =>
      e.type === 'message.completed' && e.message.role === 'assistant',
  )?.message;

describe('conversation round trip through the real path', () => {
  it('streams the demo chatbot reply over SSE, stores it in the DO and copies it to D1 through the queue', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const res = await send(demo.apiKey, conversationId, { text: 'What is the capital of France?' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(await res.text());

    expect(events.map((e) => e.type).filter((t) => t !== 'delta')).toEqual([
      'message.created',
      'message.created',
      'message.completed',
    ]);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const deltas = events.filter((e) => e.type === 'delta');
    // Streamed, not one blob; the demo's 15 ms tokens are joined into one delta per 50 ms (delta-coalescer.ts).
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.length).toBeLessThan(
      tokenize(offlineReply([{ role: 'user', content: 'What is the capital of France?' }])).length,
    );
    const reply = completedReply(events) as ConversationMessage;
    const expected = offlineReply([{ role: 'user', content: 'What is the capital of France?' }]);
    expect(deltas.map((d) => (d.type === 'delta' ? d.text : '')).join('')).toBe(expected);
    expect(reply).toMatchObject({
      content: expected,
      status: 'complete',
      finishReason: 'stop',
      providerId: 'offline',
      metadata: { offline: true },
    });
    expect(reply.usage?.outputTokens).toBe(tokenize(expected).length);

    const stored = await SELF.fetch(`${BASE}/api/v1/conversations/${conversationId}/messages`, authed(demo.apiKey));
    const { data } = (await stored.json()) as { data: ConversationMessage[] };
    expect(data.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);

    const db = database(env.DB);
    await vi.waitFor(
      async () => {
        const rows = await db.select().from(messages).where(eq(messages.conversationId, conversationId));
        // Index rows: the bodies stay in the object and the R2 archive (docs/scaling.md "Message bodies").
        expect(rows.map((row) => [row.role, row.position, row.content, row.contentBytes])).toEqual([
          ['user', 1, '', 'What is the capital of France?'.length],
          ['assistant', 2, '', new TextEncoder().encode(expected).length],
        ]);
      },
      { timeout: 10_000, interval: 100 },
    );
    const conversation = await db.query.conversations.findFirst({ where: eq(conversations.id, conversationId) });
    expect(conversation?.messageCount).toBe(2);
  });

  it('answers as JSON without Accept: text/event-stream, and a re-sent clientMessageId returns the original turn', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const first = await send(
      demo.apiKey,
      conversationId,
      { text: 'Hello', clientMessageId: 'retry-1' },
      'application/json',
    );
    expect(first.status).toBe(201);
    const body = (await first.json()) as { message: ConversationMessage; reply: ConversationMessage };
    expect(body.reply).toMatchObject({ role: 'assistant', status: 'complete', turnId: body.message.turnId });

    const again = await send(
      demo.apiKey,
      conversationId,
      { text: 'Hello', clientMessageId: 'retry-1' },
      'application/json',
    );
    expect(again.status).toBe(200);
    expect(((await again.json()) as { reply: ConversationMessage }).reply.id).toBe(body.reply.id);
    const list = await SELF.fetch(`${BASE}/api/v1/conversations/${conversationId}/messages`, authed(demo.apiKey));
    expect(((await list.json()) as { data: unknown[] }).data).toHaveLength(2);
  });

  it('runs turns one at a time: a burst of messages gets replies in order, never interleaved', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const texts = ['first', 'second', 'third'];
    const responses = await Promise.all(
      texts.map((text) => send(demo.apiKey, conversationId, { text }, 'application/json')),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201]);
    // Follow the whole conversation from seq 0 and read until the third reply completes.
    const stream = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/events?after=0`,
      authed(demo.apiKey),
    );
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (parseSse(text).filter((e) => e.type === 'message.completed').length < 3) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
    await reader.cancel();
    const events = parseSse(text.slice(0, text.lastIndexOf('\n\n') + 2));
    const users = events.flatMap((e) => (e.type === 'message.created' && e.message.role === 'user' ? [e.message] : []));
    expect(users.map((m) => m.content).sort()).toEqual([...texts].sort());
    // Replies stream one after another: between a reply's creation and its completion no other reply speaks.
    const replyOrder = events.flatMap((e) =>
      e.type === 'message.created' && e.message.role === 'assistant'
        ? [e.message.id]
        : e.type === 'delta'
          ? [e.messageId]
          : [],
    );
    const runs = replyOrder.filter((id, i) => id !== replyOrder[i - 1]);
    expect(runs).toHaveLength(3);
    const completed = events.flatMap((e) =>
      e.type === 'message.completed' && e.message.role === 'assistant' ? [e.message] : [],
    );
    expect(completed.map((m) => m.id)).toEqual(runs);
    // Each reply answers its own message, in the order the messages were accepted.
    completed.forEach((reply, i) => {
      expect(reply.turnId).toBe(users[i]?.turnId);
      expect(reply.content).toContain(`“${users[i]?.content}”`);
    });
  });
});

describe('analytics copy', () => {
  it('a redelivered queue batch creates no duplicate rows', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const res = await send(demo.apiKey, conversationId, { text: 'count me once' }, 'application/json');
    const { message, reply } = (await res.json()) as { message: ConversationMessage; reply: ConversationMessage };
    const ref = { conversationId, teamId: demo.teamId, chatbotId: demo.chatbotId };
    const bodies: QueueMessage[] = [
      { type: 'message.upsert', ...ref, message },
      { type: 'message.upsert', ...ref, message: reply },
      { type: 'message.ref', ...ref, messageId: reply.id },
    ];
    for (let delivery = 0; delivery < 3; delivery++) {
      const batch = createMessageBatch<QueueMessage>(
        'parley-events',
        bodies.map((body, i) => ({ id: `m${delivery}-${i}`, timestamp: new Date(), attempts: delivery + 1, body })),
      );
      const ctx = createExecutionContext();
      await worker.queue(batch, env);
      const result = await getQueueResult(batch, ctx);
      expect(result.explicitAcks.length + (result.ackAll ? bodies.length : 0)).toBe(bodies.length);
    }
    const db = database(env.DB);
    const rows = await db.select().from(messages).where(eq(messages.conversationId, conversationId));
    expect(rows).toHaveLength(2);
    expect(rows.find((row) => row.id === reply.id)?.contentBytes).toBe(new TextEncoder().encode(reply.content).length);
    const conversation = await db.query.conversations.findFirst({ where: eq(conversations.id, conversationId) });
    expect(conversation?.messageCount).toBe(2);
  });
});

describe('bad input and auth', () => {
  it('names the offending fields, rejects bad JSON, unknown ids, missing keys and missing scopes', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);

    const empty = await send(demo.apiKey, conversationId, { text: '   ', clientMessageId: 'has spaces' });
    expect(empty.status).toBe(400);
    const emptyBody = (await empty.json()) as { error: { code: string; details: { field: string }[] } };
    expect(emptyBody.error.code).toBe('invalid_request');
    expect(emptyBody.error.details.map((d) => d.field).sort()).toEqual(['body.clientMessageId', 'body.text']);

    const malformed = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/messages`,
      authed(demo.apiKey, { method: 'POST', body: '{"text": ' }),
    );
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { message: string } }).error.message).toMatch(/JSON/);

    const tooLong = await send(demo.apiKey, conversationId, { text: 'x'.repeat(32_001) });
    expect(tooLong.status).toBe(400);

    const unknownBot = await SELF.fetch(
      `${BASE}/api/v1/conversations`,
      authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ chatbotId: 'bot_nope' }) }),
    );
    expect(unknownBot.status).toBe(404);

    const noKey = await SELF.fetch(`${BASE}/api/v1/conversations/${conversationId}`);
    expect(noKey.status).toBe(401);
    expect(((await noKey.json()) as { error: { code: string } }).error.code).toBe('unauthorized');

    const readOnly = await generateApiKey();
    await database(env.DB)
      .insert(apiKeys)
      .values({
        id: `key_${crypto.randomUUID()}`,
        teamId: demo.teamId,
        name: 'read',
        prefix: readOnly.prefix,
        keyHash: readOnly.hash,
        scopes: ['read'],
        createdAt: Date.now(),
      });
    const forbidden = await send(readOnly.key, conversationId, { text: 'hi' });
    expect(forbidden.status).toBe(403);
    expect(
      await (await SELF.fetch(`${BASE}/api/v1/conversations/${conversationId}`, authed(readOnly.key))).status,
    ).toBe(200);

    // Another team's key sees nothing of this conversation.
    const other = await seedDemo();
    expect((await SELF.fetch(`${BASE}/api/v1/conversations/${conversationId}`, authed(other.apiKey))).status).toBe(404);
    expect((await send(other.apiKey, conversationId, { text: 'hi' })).status).toBe(404);
    const stored = await database(env.DB)
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId)));
    expect(stored.every((row) => row.teamId === demo.teamId)).toBe(true);
  });
});

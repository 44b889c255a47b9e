import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { asc, eq, inArray } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seedDemo } from '../../test/seed.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { database } from '../db/client.ts';
import { chatbots, conversations, messages } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import { newId } from '../ids.ts';
import worker from '../index.ts';
import { METER_PREFIX, type MeterLine } from '../ports/meter-line.ts';
import { MAX_JSON_BYTES } from './json-rows.ts';
import type { QueueMessage } from './messages.ts';

type Upsert = Extract<QueueMessage, { type: 'message.upsert' }>;

const message = (
  position: number,
  createdAt: number,
  patch: Partial<ConversationMessage> = {},
): ConversationMessage => ({
  id: newId('msg', createdAt),
  position,
  role: position % 2 === 0 ? 'user' : 'assistant',
  content: `message ${position}`,
  status: 'complete',
  turnId: 'turn_x',
  clientMessageId: null,
  error: null,
  providerId: null,
  model: null,
  usage: null,
  finishReason: null,
  metadata: { position },
  createdAt,
  completedAt: createdAt,
  ...patch,
});

let deliveries = 0;

/** Delivers `bodies` as one queue batch with the bench's meter on, and returns the D1 calls the consumer made. */
async function deliver(bodies: QueueMessage[]): Promise<MeterLine[]> {
  const lines: MeterLine[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
    if (typeof line === 'string' && line.startsWith(METER_PREFIX))
      lines.push(JSON.parse(line.slice(METER_PREFIX.length)) as MeterLine);
  });
  deliveries += 1;
  const batch = createMessageBatch<QueueMessage>(
    'parley-events',
    bodies.map((body, i) => ({ id: `d${deliveries}-${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  try {
    await worker.queue(batch, { ...env, PARLEY_METER: '1' });
    expect((await getQueueResult(batch, ctx)).retryMessages).toEqual([]);
  } finally {
    log.mockRestore();
  }
  return lines;
}

const d1Statements = (lines: MeterLine[]) =>
  lines.filter((line) => line.kind === 'd1').reduce((sum, line) => sum + line.count, 0);

/** `count` new conversations of `perConversation` messages each, as the outbox sends them: copies with a start. */
async function newConversations(count: number, perConversation: number, patch: Partial<ConversationMessage> = {}) {
  const demo = await seedDemo();
  const chatbot = await database(env.DB).query.chatbots.findFirst({ where: eq(chatbots.id, demo.chatbotId) });
  const createdAt = Date.now() - 60_000;
  const ids: string[] = [];
  const bodies: Upsert[] = [];
  for (let c = 0; c < count; c++) {
    const conversationId = newId('conv', createdAt + c);
    ids.push(conversationId);
    const start = {
      chatbotVersionId: chatbot?.publishedVersionId ?? '',
      participantId: null,
      channelId: null,
      createdAt,
    };
    const ref = { conversationId, teamId: demo.teamId, chatbotId: demo.chatbotId, start };
    for (let p = 0; p < perConversation; p++)
      bodies.push({ type: 'message.upsert', ...ref, message: message(p, createdAt + p * 10, patch) });
  }
  return { teamId: demo.teamId, ids, bodies };
}

async function snapshot(teamId: string, ids: string[]) {
  const db = teamDatabase(env, teamId);
  return {
    conversations: await db
      .select()
      .from(conversations)
      .where(inArray(conversations.id, ids))
      .orderBy(conversations.id),
    messages: await db
      .select()
      .from(messages)
      .where(inArray(messages.conversationId, ids))
      .orderBy(asc(messages.conversationId), asc(messages.position)),
  };
}

afterEach(() => vi.restoreAllMocks());

describe('the set-based analytics sink (issue 19 §3)', () => {
  it('writes a 100-message batch over 10 new conversations in 3 D1 statements (+1 read of deleted teams), every row and counter right', async () => {
    const { teamId, ids, bodies } = await newConversations(10, 10);
    expect(bodies).toHaveLength(100);
    const lines = await deliver(bodies);
    // Conversation rows, message copies, counters: one statement each, in one batch; before it, one read of the
    // batch's deleted teams (consumer.ts skipDeletedTeams), whatever the number of messages.
    expect(d1Statements(lines)).toBe(4);
    expect(lines.filter((line) => line.kind === 'd1')).toHaveLength(2);

    const { conversations: rows, messages: copies } = await snapshot(teamId, ids);
    expect(rows).toHaveLength(10);
    for (const row of rows) expect(row).toMatchObject({ teamId, status: 'active', messageCount: 10 });
    expect(rows[0]?.lastMessageAt).toBe(bodies[9]?.message.createdAt);
    expect(copies).toHaveLength(100);
    const first = bodies[0]?.message;
    expect(copies[0]).toMatchObject({
      id: first?.id,
      teamId,
      position: 0,
      role: 'user',
      // The index row: the body's size, not the body nor its metadata (index-row.ts).
      content: '',
      contentBytes: 'message 0'.length,
      status: 'complete',
      error: null,
      metadata: {},
      rating: null,
      createdAt: first?.createdAt,
    });
  });

  it('a redelivered batch changes nothing and still costs a constant number of statements', async () => {
    const { teamId, ids, bodies } = await newConversations(4, 5);
    await deliver(bodies);
    const before = await snapshot(teamId, ids);
    const again = await deliver([...bodies].reverse());
    expect(d1Statements(again)).toBe(4);
    expect(await snapshot(teamId, ids)).toEqual(before);
  });

  it('upserts as one statement per copy did: the latest copy wins, position and birth stay, counters follow', async () => {
    const { teamId, ids, bodies } = await newConversations(1, 2, {
      status: 'streaming',
      content: 'Hel',
      completedAt: null,
    });
    const [user, reply] = bodies as [Upsert, Upsert];
    // The reply streams, then completes, in one batch; a later batch brings an error for it.
    const done: Upsert = {
      ...reply,
      message: {
        ...reply.message,
        status: 'complete' as const,
        content: 'Hello',
        completedAt: reply.message.createdAt + 5,
        usage: { inputTokens: 3, outputTokens: 2 },
        position: 99, // never rewritten: the row keeps the position it was born with
      },
    };
    await deliver([user, reply, done]);
    let { messages: copies, conversations: rows } = await snapshot(teamId, ids);
    // Index rows: sizes, not bodies (index-row.ts).
    expect(copies.map((copy) => [copy.position, copy.status, copy.content, copy.contentBytes])).toEqual([
      [0, 'streaming', '', 3],
      [1, 'complete', '', 5],
    ]);
    expect(copies[1]).toMatchObject({ inputTokens: 3, outputTokens: 2, completedAt: reply.message.createdAt + 5 });
    expect(rows[0]).toMatchObject({ messageCount: 2, lastMessageAt: reply.message.createdAt });

    const failed: Upsert = {
      ...done,
      message: { ...done.message, status: 'error' as const, error: { code: 'x', message: 'y' } },
    };
    await deliver([failed]);
    ({ messages: copies, conversations: rows } = await snapshot(teamId, ids));
    expect(copies[1]).toMatchObject({ position: 1, status: 'error', error: { code: 'x', message: 'y' } });
    expect(rows[0]).toMatchObject({ messageCount: 2 });
  });

  it('sends no body to D1: copies of 40 % of the JSON budget each still take one message statement', async () => {
    const big = 'x'.repeat(Math.ceil(MAX_JSON_BYTES / 2.5));
    const { teamId, ids, bodies } = await newConversations(1, 4, {
      content: big,
      metadata: { feedback: { rating: 'up', at: 1 }, note: big },
      error: { code: 'provider_error', message: big },
    });
    const lines = await deliver(bodies);
    // With bodies in D1 this was conversation + 2 message chunks + counters; index rows are a few hundred bytes.
    expect(d1Statements(lines)).toBe(4);
    expect(lines.filter((line) => line.kind === 'd1')).toHaveLength(2);
    const { messages: copies, conversations: rows } = await snapshot(teamId, ids);
    expect(copies).toHaveLength(4);
    for (const copy of copies)
      expect(copy).toMatchObject({ content: '', contentBytes: big.length, metadata: {}, rating: 'up', error: null });
    expect(rows[0]?.messageCount).toBe(4);
  });
});

import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../test/seed.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { database } from '../db/client.ts';
import { chatbots } from '../db/schema/index.ts';
import { newId } from '../ids.ts';
import worker from '../index.ts';
import type { MessageCopy } from '../ports/analytics-sink.ts';
import { r2BlobStore } from '../ports/blob-store.ts';
import { ARCHIVE_PREFIX } from './archive-sink.ts';
import type { QueueMessage } from './messages.ts';

type Upsert = Extract<QueueMessage, { type: 'message.upsert' }>;

const message = (position: number, createdAt: number): ConversationMessage => ({
  id: newId('msg', createdAt),
  position,
  role: position % 2 === 0 ? 'user' : 'assistant',
  content: `message ${position} ✓`,
  status: 'complete',
  turnId: 'turn_x',
  clientMessageId: null,
  error: null,
  providerId: 'openai',
  model: 'gpt-x',
  usage: position % 2 === 0 ? null : { inputTokens: 4, outputTokens: 2 },
  finishReason: null,
  metadata: { n: position },
  createdAt,
  completedAt: createdAt,
});

let deliveries = 0;
async function deliver(bodies: QueueMessage[]) {
  deliveries += 1;
  const batch = createMessageBatch<QueueMessage>(
    'parley-events',
    bodies.map((body, i) => ({ id: `a${deliveries}-${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  expect((await getQueueResult(batch, ctx)).retryMessages).toEqual([]);
}

async function conversation(createdAt: number, count: number) {
  const demo = await seedDemo();
  const chatbot = await database(env.DB).query.chatbots.findFirst({ where: eq(chatbots.id, demo.chatbotId) });
  const conversationId = newId('conv', createdAt);
  const start = {
    chatbotVersionId: chatbot?.publishedVersionId ?? '',
    participantId: null,
    channelId: null,
    createdAt,
  };
  const ref = { conversationId, teamId: demo.teamId, chatbotId: demo.chatbotId, start };
  const bodies: Upsert[] = Array.from({ length: count }, (_, p) => ({
    type: 'message.upsert',
    ...ref,
    message: message(p, createdAt + p * 1_000),
  }));
  return { teamId: demo.teamId, conversationId, bodies };
}

const store = () => r2BlobStore(env.FILES);

describe('the R2 archive of message copies (issue 19 §2)', () => {
  it('one NDJSON object per team per day of a batch, a line per copy in position order, keyed by day and content', async () => {
    const createdAt = Date.UTC(2026, 11, 3, 23, 59, 58);
    const { teamId, conversationId, bodies } = await conversation(createdAt, 4);
    // Delivered out of order, with one copy twice: the objects are the same as if they came in order once.
    await deliver([bodies[2], bodies[0], bodies[3], bodies[1], bodies[0]] as Upsert[]);

    const keys = await store().list(`${ARCHIVE_PREFIX}${teamId}/`);
    // The batch crosses midnight (UTC): each copy is under the day its message was created, so a reader of a date
    // range finds every copy in that range's days.
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(new RegExp(`^archive/${teamId}/2026-12-03/[0-9a-f]{64}\\.ndjson$`));
    expect(keys[1]).toMatch(new RegExp(`^archive/${teamId}/2026-12-04/[0-9a-f]{64}\\.ndjson$`));
    const linesOf = async (key: string) => {
      const text = (await store().get(key)) ?? '';
      expect(text.endsWith('\n')).toBe(true);
      return text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as MessageCopy);
    };
    expect((await linesOf(keys[0] as string)).map((line) => line.position)).toEqual([0, 1]);
    const lines = [...(await linesOf(keys[0] as string)), ...(await linesOf(keys[1] as string))];
    expect(lines.map((line) => line.position)).toEqual([0, 1, 2, 3]);
    expect(lines[1]).toMatchObject({
      conversationId,
      teamId,
      id: bodies[1]?.message.id,
      role: 'assistant',
      content: 'message 1 ✓',
      inputTokens: 4,
      outputTokens: 2,
      metadata: { n: 1 },
    });
    const object = await env.FILES.head(keys[0] as string);
    expect(object?.httpMetadata?.contentType).toBe('application/x-ndjson');
  });

  it('is idempotent under queue redelivery: the same batch rewrites the same object with the same bytes', async () => {
    const { teamId, bodies } = await conversation(Date.now() - 10_000, 2);
    await deliver(bodies);
    const [key] = await store().list(`${ARCHIVE_PREFIX}${teamId}/`);
    const first = await env.FILES.get(key as string);
    const bytes = await first?.text();
    await deliver(bodies);
    await deliver([...bodies].reverse());
    expect(await store().list(`${ARCHIVE_PREFIX}${teamId}/`)).toEqual([key]);
    const again = await env.FILES.get(key as string);
    expect(await again?.text()).toBe(bytes);
    expect(again?.etag).toBe(first?.etag);
  });

  it('a later copy of a message (the reply completed) is a new object; a batch of tags alone writes none', async () => {
    const { teamId, conversationId, bodies } = await conversation(Date.now() - 10_000, 2);
    const [user, reply] = bodies as [Upsert, Upsert];
    await deliver([user, { ...reply, message: { ...reply.message, status: 'streaming', content: 'mess' } }]);
    await deliver([reply]);
    await deliver([
      {
        type: 'tags.add',
        runId: 'run_x',
        conversationId,
        teamId,
        chatbotId: reply.chatbotId,
        messageIds: [reply.message.id],
        messageTags: ['good'],
        conversationTags: ['done'],
      },
    ]);
    const keys = await store().list(`${ARCHIVE_PREFIX}${teamId}/`);
    expect(keys).toHaveLength(2);
    const texts = await Promise.all(keys.map(async (key) => (await store().get(key)) ?? ''));
    const replies = texts.flatMap((text) =>
      text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as MessageCopy)
        .filter((line) => line.id === reply.message.id),
    );
    expect(replies.map((line) => line.status).sort()).toEqual(['complete', 'streaming']);
  });
});

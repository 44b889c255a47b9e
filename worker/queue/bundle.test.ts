import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../test/seed.ts';
import { bundled } from '../conversation/analytics-outbox.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { database } from '../db/client.ts';
import { chatbots, conversations, eventLog, messages } from '../db/schema/index.ts';
import { newId } from '../ids.ts';
import worker from '../index.ts';
import type { EventsMessage, OutboxBundle, QueueMessage } from './messages.ts';
import { unbundle } from './unbundle.ts';

const message = (position: number, createdAt: number): ConversationMessage => ({
  id: newId('msg', createdAt + position),
  position,
  role: position === 0 ? 'user' : 'assistant',
  content: `message ${position}`,
  status: 'complete',
  turnId: 'turn_x',
  clientMessageId: null,
  error: null,
  providerId: null,
  model: null,
  usage: null,
  finishReason: null,
  metadata: {},
  createdAt: createdAt + position,
  completedAt: createdAt + position,
});

async function deliver(bodies: QueueMessage[], attempt: number) {
  const batch = createMessageBatch<QueueMessage>(
    'parley-events',
    bodies.map((body, i) => ({ id: `b${attempt}-${i}`, timestamp: new Date(), attempts: attempt, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

describe('one queue message per outbox flush', () => {
  it('packs the copies and the event rows in order, starting a new bundle only past the size bound', () => {
    const part = (bytes: number): { body: EventsMessage; bytes: number } => ({
      body: {
        type: 'events.webhook',
        ref: { conversationId: 'c', teamId: 't', chatbotId: 'b', participantId: null },
        call: { logId: String(bytes) } as never,
      },
      bytes,
    });
    const one = bundled([part(1_000), part(2_000), part(3_000)]);
    expect(one).toHaveLength(1);
    expect((one[0] as OutboxBundle).items).toHaveLength(3);
    // 120 KB per bundle (a queue message holds 128 KB): 70 + 70 KB makes two messages, each part whole.
    const two = bundled([part(70 * 1024), part(70 * 1024)]);
    expect(two.map((body) => body.type)).toEqual(['events.webhook', 'events.webhook']);
    expect(bundled([part(10)])[0]?.type).toBe('events.webhook');
  });

  it('the consumer writes every part of a bundle once, however often it is delivered, and acks the bundle', async () => {
    const demo = await seedDemo();
    const chatbot = await database(env.DB).query.chatbots.findFirst({ where: eq(chatbots.id, demo.chatbotId) });
    const createdAt = Date.now() - 5_000;
    const conversationId = newId('conv', createdAt);
    const start = {
      chatbotVersionId: chatbot?.publishedVersionId ?? '',
      participantId: null,
      channelId: null,
      createdAt,
    };
    const ref = { conversationId, teamId: demo.teamId, chatbotId: demo.chatbotId, start };
    const entry = {
      id: newId('evl', createdAt),
      triggerId: 'nudge',
      triggerType: 'user_message',
      actionType: 'log',
      outcome: 'ok' as const,
      error: null,
      detail: 'bundled',
      attempt: 1,
      firedAt: createdAt,
    };
    const bundle: OutboxBundle = {
      type: 'outbox.bundle',
      items: [
        { type: 'message.upsert', ...ref, message: message(0, createdAt) },
        { type: 'message.upsert', ...ref, message: message(1, createdAt) },
        {
          type: 'events.fired',
          ref: { conversationId, teamId: demo.teamId, chatbotId: demo.chatbotId, participantId: null },
          entries: [entry],
          tags: [],
          ended: false,
          webhooks: [],
        },
      ],
    };
    const results = [await deliver([bundle], 1), await deliver([bundle], 2)];
    for (const result of results) {
      expect(result.retryMessages).toEqual([]);
      expect(result.explicitAcks).toEqual([expect.stringMatching(/^b\d-0$/)]);
    }
    const db = database(env.DB);
    expect(await db.select().from(messages).where(eq(messages.conversationId, conversationId))).toHaveLength(2);
    expect(await db.select().from(eventLog).where(eq(eventLog.conversationId, conversationId))).toHaveLength(1);
    const [row] = await db.select().from(conversations).where(eq(conversations.id, conversationId));
    expect(row?.messageCount).toBe(2);
  });

  it('retries the whole bundle, with the longest delay a part asked for, when any part asks', () => {
    const settled: string[] = [];
    const delivered = {
      id: 'm1',
      timestamp: new Date(),
      attempts: 2,
      body: { type: 'outbox.bundle', items: [] } as OutboxBundle,
      ack: () => settled.push('ack'),
      retry: (options?: QueueRetryOptions) => settled.push(`retry ${options?.delaySeconds ?? 0}`),
    } as Message<OutboxBundle>;
    delivered.body.items.push(
      {
        type: 'tags.add',
        runId: 'run_x',
        conversationId: 'c',
        teamId: 't',
        chatbotId: 'b',
        conversationTags: [],
        messageIds: [],
        messageTags: [],
      },
      {
        type: 'tags.add',
        runId: 'run_x',
        conversationId: 'c',
        teamId: 't',
        chatbotId: 'b',
        conversationTags: [],
        messageIds: [],
        messageTags: [],
      },
    );
    const quiet = unbundle(delivered);
    expect(quiet.parts.map((part) => [part.id, part.attempts])).toEqual([
      ['m1:0', 2],
      ['m1:1', 2],
    ]);
    quiet.parts[0]?.ack();
    quiet.settle();
    const noisy = unbundle(delivered);
    noisy.parts[0]?.retry({ delaySeconds: 30 });
    noisy.parts[1]?.retry({ delaySeconds: 5 });
    noisy.settle();
    expect(settled).toEqual(['ack', 'retry 30']);
  });
});

import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../test/seed.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { database } from '../db/client.ts';
import { chatbots, conversations } from '../db/schema/index.ts';
import { newId } from '../ids.ts';
import worker from '../index.ts';
import type { QueueMessage } from './messages.ts';

const message = (position: number, createdAt: number): ConversationMessage => ({
  id: newId('msg', createdAt),
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
  createdAt,
  completedAt: createdAt,
});

async function deliver(bodies: QueueMessage[], attempt: number) {
  const batch = createMessageBatch<QueueMessage>(
    'parley-events',
    bodies.map((body, i) => ({ id: `d${attempt}-${i}`, timestamp: new Date(), attempts: attempt, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

describe('the analytics consumer creates a widget conversation’s row from its first copy', () => {
  it('one row however often, and however concurrently, the copies arrive; pinned as the object says', async () => {
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
    const [user, reply] = [message(0, createdAt), message(1, createdAt + 1_000)];
    const bodies: QueueMessage[] = [
      { type: 'message.upsert', ...ref, message: user },
      { type: 'message.upsert', ...ref, message: reply },
    ];
    // The same copies delivered three times, two of them at once (two consumer invocations racing).
    const results = await Promise.all([deliver(bodies, 1), deliver(bodies, 2), deliver(bodies.slice(1), 3)]);
    for (const result of results) expect(result.retryMessages).toEqual([]);

    const rows = await database(env.DB).select().from(conversations).where(eq(conversations.id, conversationId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      teamId: demo.teamId,
      chatbotId: demo.chatbotId,
      chatbotVersionId: start.chatbotVersionId,
      status: 'active',
      messageCount: 2,
      lastMessageAt: reply.createdAt,
      createdAt,
    });
  });
});

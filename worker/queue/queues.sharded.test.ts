import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { api } from '../../test/api-fixtures.ts';
import { seedDemo, startConversation } from '../../test/seed.ts';
import { messages } from '../db/schema/index.ts';
import { shardRouter, teamDatabase } from '../db/shards.ts';

// The sharded project binds EVENTS (parley-events) and EVENTS_01 (parley-events-01), one consumer for both.
describe('analytics queues by conversation (EVENTS, EVENTS_01)', () => {
  it('sends each conversation’s outbox on its own queue, and the messages of both queues land in the shard', async () => {
    const demo = await seedDemo();
    const router = shardRouter(env);
    const extra = env.EVENTS_01 as Queue;
    const onQueue = new Map<Queue, string>();
    // Conversation ids are random: a few tries give one conversation on each queue (each try is a coin flip).
    for (let i = 0; i < 20 && onQueue.size < 2; i++) {
      const id = await startConversation(demo.apiKey, demo.chatbotId);
      const queue = router.queueFor(id);
      expect([env.EVENTS, extra]).toContain(queue);
      if (!onQueue.has(queue)) onQueue.set(queue, id);
    }
    expect(onQueue.size).toBe(2);
    for (const id of onQueue.values()) {
      const sent = await api.send(demo.apiKey, 'POST', `/api/v1/conversations/${id}/messages`, { text: 'hello' });
      expect(sent.status).toBe(201);
    }
    const db = teamDatabase(env, demo.teamId);
    await vi.waitFor(
      async () => {
        for (const id of onQueue.values()) {
          const rows = await db.select().from(messages).where(eq(messages.conversationId, id));
          expect(rows.map((row) => row.role).sort()).toEqual(['assistant', 'user']);
        }
      },
      { timeout: 10_000, interval: 100 },
    );
  });
});

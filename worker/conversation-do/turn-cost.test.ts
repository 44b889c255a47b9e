import { env, runInDurableObject, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import type { Env } from '../env.ts';
import type { QueueMessage } from '../queue/messages.ts';
import type { ConversationDO } from './conversation-do.ts';

/** The object behind a conversation (Env names no class: worker/env.ts). */
function conversationStub(conversationId: string) {
  const namespace = env.CONVERSATIONS as unknown as DurableObjectNamespace<ConversationDO>;
  return namespace.get(namespace.idFromName(conversationId));
}

/** Records every analytics batch the object sends, by message type, and still sends it. */
async function recordQueueSends(stub: DurableObjectStub<ConversationDO>): Promise<string[][]> {
  const batches: string[][] = [];
  await runInDurableObject(stub, (instance: ConversationDO) => {
    const own = (instance as unknown as { env: Env }).env;
    const queue = own.EVENTS;
    const wrapped: Pick<Queue<QueueMessage>, 'send' | 'sendBatch'> = {
      send: (body, options) => queue.send(body, options),
      sendBatch: (messages, options) => {
        // A bundle is one queue message: recorded as the types it carries, joined by "+".
        batches.push(
          [...messages].map(({ body }) =>
            body.type === 'outbox.bundle' ? body.items.map((item) => item.type).join('+') : body.type,
          ),
        );
        return queue.sendBatch(messages, options);
      },
    };
    own.EVENTS = wrapped as Queue<QueueMessage>;
  });
  return batches;
}

describe('the cost of a turn', () => {
  it('copies a turn of a chatbot without triggers to the queue as one message, and leaves no alarm behind', async () => {
    const demo = await seedDemo();
    const conversationId = await startConversation(demo.apiKey, demo.chatbotId);
    const stub = conversationStub(conversationId);
    const batches = await recordQueueSends(stub);
    const res = await SELF.fetch(
      `${BASE}/api/v1/conversations/${conversationId}/messages`,
      authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ text: 'one turn, one send' }) }),
    );
    expect(res.status).toBe(201);
    await expect.poll(() => batches.flat().length, { timeout: 5_000, interval: 20 }).toBe(1);
    // Settle: anything sent late (a flush from the user message, an alarm) would show up here.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(batches).toEqual([['message.upsert+message.upsert']]);
    const alarm = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    expect(alarm).toBeNull();
  });
});

import { eq, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { consumeChannelInbound } from '../channels/inbound-consumer.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { conversationStub } from '../conversation/stub.ts';
import { database } from '../db/client.ts';
import { conversations, messages } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import type {
  AnalyticsMessage,
  AnalyticsRef,
  ChannelInboundMessage,
  ConversationRef,
  ConversationStart,
  QueueMessage,
} from './messages.ts';

/**
 * Copies conversation messages into D1 for analytics, search and export. Delivery is at-least-once, so every
 * write is idempotent: messages are upserted by (conversation, id) and the conversation's counters are recomputed
 * from the rows rather than incremented. A redelivered batch rewrites the same rows and changes nothing.
 */
export async function consumeEvents(batch: MessageBatch<QueueMessage>, env: Env): Promise<void> {
  const analytics: Message<AnalyticsMessage>[] = [];
  const inbound: Message<ChannelInboundMessage>[] = [];
  for (const item of batch.messages) {
    if (item.body.type === 'channel.inbound') inbound.push(item as Message<ChannelInboundMessage>);
    else analytics.push(item as Message<AnalyticsMessage>);
  }
  await Promise.all([copyMessages(analytics, env), consumeChannelInbound(inbound, env)]);
}

async function copyMessages(items: readonly Message<AnalyticsMessage>[], env: Env): Promise<void> {
  if (items.length === 0) return;
  const db = database(env.DB);
  const statements: BatchItem<'sqlite'>[] = [];
  const touched = new Map<string, AnalyticsRef>();
  for (const item of items) {
    const body = item.body;
    const message =
      body.type === 'message.upsert' ? body.message : await readMessage(env, body.conversationId, body.messageId);
    if (!message) continue; // the conversation no longer holds it: nothing to copy
    statements.push(upsertMessage(db, body, message));
    touched.set(body.conversationId, body);
  }
  // Rows first: a message row references its conversation's.
  const rows = [...touched.values()].flatMap((ref) => (ref.start ? [createConversation(db, ref, ref.start)] : []));
  statements.unshift(...rows);
  for (const conversationId of touched.keys()) statements.push(refreshCounters(db, conversationId));
  // One D1 batch is one atomic transaction (D1 has no interactive transactions): all rows land, or none and the
  // whole queue batch is retried.
  if (statements.length > 0) await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  for (const item of items) item.ack();
}

async function readMessage(env: Env, conversationId: string, messageId: string): Promise<ConversationMessage | null> {
  return conversationStub(env, conversationId).getMessage(messageId);
}

function upsertMessage(db: ReturnType<typeof database>, ref: ConversationRef, message: ConversationMessage) {
  const row = {
    conversationId: ref.conversationId,
    id: message.id,
    teamId: ref.teamId,
    chatbotId: ref.chatbotId,
    position: message.position,
    role: message.role,
    content: message.content,
    status: message.status,
    error: message.error,
    providerId: message.providerId,
    model: message.model,
    inputTokens: message.usage?.inputTokens ?? null,
    outputTokens: message.usage?.outputTokens ?? null,
    finishReason: message.finishReason,
    metadata: message.metadata,
    createdAt: message.createdAt,
    completedAt: message.completedAt,
  };
  const { conversationId: _c, id: _i, teamId: _t, chatbotId: _b, position: _p, createdAt: _a, ...changing } = row;
  return db
    .insert(messages)
    .values(row)
    .onConflictDoUpdate({ target: [messages.conversationId, messages.id], set: changing });
}

/**
 * The conversation's row, unless it has one: a widget conversation gets its row from the copy of its first message.
 * Insert-or-ignore on the primary key, so every copy (and two consumers racing) leaves exactly one row.
 */
function createConversation(db: ReturnType<typeof database>, ref: ConversationRef, start: ConversationStart) {
  return db
    .insert(conversations)
    .values({
      id: ref.conversationId,
      teamId: ref.teamId,
      chatbotId: ref.chatbotId,
      chatbotVersionId: start.chatbotVersionId,
      channelId: start.channelId,
      participantId: start.participantId,
      status: 'active',
      messageCount: 0,
      lastMessageAt: null,
      createdAt: start.createdAt,
      updatedAt: start.createdAt,
    })
    .onConflictDoNothing({ target: conversations.id });
}

function refreshCounters(db: ReturnType<typeof database>, conversationId: string) {
  return db
    .update(conversations)
    .set({
      messageCount: sql`(SELECT COUNT(*) FROM ${messages} WHERE ${messages.conversationId} = ${conversationId})`,
      lastMessageAt: sql`(SELECT MAX(${messages.createdAt}) FROM ${messages} WHERE ${messages.conversationId} = ${conversationId})`,
    })
    .where(eq(conversations.id, conversationId));
}

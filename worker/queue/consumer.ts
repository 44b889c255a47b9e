import { eq, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { consumeChannelInbound } from '../channels/inbound-consumer.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { conversationStub } from '../conversation/stub.ts';
import { database } from '../db/client.ts';
import { conversations, conversationTags, messages, messageTags } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { consumeEventMessages } from '../events/consumer.ts';
import { consumeScheduleMessages } from '../schedules/consumer.ts';
import type { ScheduleQueueMessage } from '../schedules/queue-messages.ts';
import { MAX_TAGS } from '../tags/schema.ts';
import type {
  AnalyticsMessage,
  AnalyticsRef,
  ChannelInboundMessage,
  ConversationRef,
  ConversationStart,
  EventsMessage,
  OutboxBundle,
  QueueMessage,
  RunTags,
} from './messages.ts';
import { type Unbundled, unbundle } from './unbundle.ts';

/**
 * Copies conversation messages into D1 for analytics, search and export. Delivery is at-least-once, so every
 * write is idempotent: messages are upserted by (conversation, id) and the conversation's counters are recomputed
 * from the rows rather than incremented. A redelivered batch rewrites the same rows and changes nothing.
 */
export async function consumeEvents(batch: MessageBatch<QueueMessage>, env: Env): Promise<void> {
  const analytics: Message<AnalyticsMessage>[] = [];
  const inbound: Message<ChannelInboundMessage>[] = [];
  const events: Message<EventsMessage>[] = [];
  const schedules: Message<ScheduleQueueMessage>[] = [];
  const bundles: Unbundled[] = [];
  const delivered: Message<QueueMessage>[] = [];
  for (const item of batch.messages) {
    if (item.body.type !== 'outbox.bundle') delivered.push(item);
    else {
      const bundle = unbundle(item as Message<OutboxBundle>);
      bundles.push(bundle);
      delivered.push(...bundle.parts);
    }
  }
  for (const item of delivered) {
    if (item.body.type === 'outbox.bundle') continue; // parts are never bundles (analytics-outbox.ts `bundled`)
    if (item.body.type === 'channel.inbound') inbound.push(item as Message<ChannelInboundMessage>);
    else if (item.body.type.startsWith('events.')) events.push(item as Message<EventsMessage>);
    else if (item.body.type.startsWith('schedule.')) schedules.push(item as Message<ScheduleQueueMessage>);
    else analytics.push(item as Message<AnalyticsMessage>);
  }
  // Event rows after the message copies: a tag needs the conversation's row, which a first copy may create.
  await Promise.all([
    copyMessages(analytics, env),
    consumeChannelInbound(inbound, env),
    consumeScheduleMessages(schedules, env),
  ]);
  if (events.length) await consumeEventMessages(events, env);
  // Only after every part was handled: a throw above leaves the bundles unsettled, and Queues redelivers them.
  for (const bundle of bundles) bundle.settle();
}

async function copyMessages(items: readonly Message<AnalyticsMessage>[], env: Env): Promise<void> {
  if (items.length === 0) return;
  const db = database(env.DB);
  const statements: BatchItem<'sqlite'>[] = [];
  const touched = new Map<string, AnalyticsRef>();
  // After the message rows, which they describe.
  const tagStatements: BatchItem<'sqlite'>[] = [];
  for (const item of items) {
    const body = item.body;
    if (body.type === 'tags.add') {
      tagStatements.push(...addRunTags(db, body, body));
      touched.set(body.conversationId, body);
      continue;
    }
    const message =
      body.type === 'message.upsert' ? body.message : await readMessage(env, body.conversationId, body.messageId);
    if (!message) continue; // the conversation no longer holds it: nothing to copy
    statements.push(upsertMessage(db, body, message));
    touched.set(body.conversationId, body);
  }
  // Rows first: a message row references its conversation's.
  const rows = [...touched.values()].flatMap((ref) => (ref.start ? [createConversation(db, ref, ref.start)] : []));
  statements.unshift(...rows);
  statements.push(...tagStatements);
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

/**
 * A run's tags, added to what the conversation and each reply carry: insert-or-ignore, so a redelivery changes
 * nothing, and only up to MAX_TAGS per conversation and per message (the tags API's bound), first tags first. Two
 * statements whatever the number of replies (tag lists travel as JSON: one bound parameter each).
 */
function addRunTags(db: ReturnType<typeof database>, ref: ConversationRef, tags: RunTags): BatchItem<'sqlite'>[] {
  const now = Date.now();
  const { conversationId, teamId } = ref;
  const statements: BatchItem<'sqlite'>[] = [];
  if (tags.conversationTags.length > 0)
    statements.push(
      db
        .insert(conversationTags)
        .select(
          sql`SELECT ${teamId}, ${conversationId}, tag, ${now} FROM (
          SELECT t.value AS tag, ROW_NUMBER() OVER (ORDER BY t.key) AS n
          FROM json_each(${JSON.stringify(tags.conversationTags)}) t
          WHERE NOT EXISTS (SELECT 1 FROM ${conversationTags} x
            WHERE x.team_id = ${teamId} AND x.conversation_id = ${conversationId} AND x.tag = t.value))
        WHERE n <= ${MAX_TAGS} - (SELECT COUNT(*) FROM ${conversationTags} x
          WHERE x.team_id = ${teamId} AND x.conversation_id = ${conversationId})`,
        )
        .onConflictDoNothing(),
    );
  if (tags.messageIds.length > 0 && tags.messageTags.length > 0)
    statements.push(
      db
        .insert(messageTags)
        .select(
          sql`SELECT ${teamId}, ${conversationId}, id, tag, ${now} FROM (
          SELECT m.value AS id, t.value AS tag, ROW_NUMBER() OVER (PARTITION BY m.value ORDER BY t.key) AS n,
            (SELECT COUNT(*) FROM ${messageTags} x
              WHERE x.team_id = ${teamId} AND x.conversation_id = ${conversationId} AND x.message_id = m.value) AS held
          FROM json_each(${JSON.stringify(tags.messageIds)}) m, json_each(${JSON.stringify(tags.messageTags)}) t
          WHERE NOT EXISTS (SELECT 1 FROM ${messageTags} x
            WHERE x.team_id = ${teamId} AND x.conversation_id = ${conversationId} AND x.message_id = m.value
              AND x.tag = t.value))
        WHERE n <= ${MAX_TAGS} - held`,
        )
        .onConflictDoNothing(),
    );
  return statements;
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

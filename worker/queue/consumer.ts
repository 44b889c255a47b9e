import { consumeChannelInbound } from '../channels/inbound-consumer.ts';
import type { ConversationMessage } from '../conversation/protocol.ts';
import { conversationStub } from '../conversation/stub.ts';
import type { Env } from '../env.ts';
import { consumeEventMessages } from '../events/consumer.ts';
import type { AnalyticsBatch, AnalyticsSink, ConversationIndexRow, MessageCopy } from '../ports/analytics-sink.ts';
import { r2BlobStore } from '../ports/blob-store.ts';
import type { UsagePoint } from '../ports/usage-counter.ts';
import { consumeScheduleMessages } from '../schedules/consumer.ts';
import type { ScheduleQueueMessage } from '../schedules/queue-messages.ts';
import { archivingSink } from './archive-sink.ts';
import { d1AnalyticsSink } from './d1-analytics-sink.ts';
import type {
  AnalyticsMessage,
  AnalyticsRef,
  ChannelInboundMessage,
  ConversationRef,
  ConversationStart,
  EventsMessage,
  OutboxBundle,
  QueueMessage,
} from './messages.ts';
import { type Unbundled, unbundle } from './unbundle.ts';
import { usageCounterFor } from './usage-counters.ts';

/**
 * Copies conversation messages to the analytics sink (each team's D1 shard: worker/queue/d1-analytics-sink.ts, and
 * the R2 archive: worker/queue/archive-sink.ts) for analytics, search and export. Delivery is at-least-once, so every write is idempotent: messages are upserted by
 * (conversation, id) and the conversation's counters are recomputed from the rows rather than incremented. A
 * redelivered batch rewrites the same rows and changes nothing.
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
  // One read for the whole batch: copies and event rows of a deleted team are acked unwritten.
  const live = await liveTeams(
    [...analytics.map((item) => item.body.teamId), ...events.map((item) => item.body.ref.teamId)],
    env,
  );
  const kept = skipDeletedTeams(analytics, live, (body) => body.teamId, 'analytics');
  const keptEvents = skipDeletedTeams(events, live, (body) => body.ref.teamId, 'events');
  // Event rows after the message copies: a tag needs the conversation's row, which a first copy may create.
  await Promise.all([
    copyMessages(kept, env),
    consumeChannelInbound(inbound, env),
    consumeScheduleMessages(schedules, env),
  ]);
  if (keptEvents.length) await consumeEventMessages(keptEvents, env);
  // Only after every part was handled: a throw above leaves the bundles unsettled, and Queues redelivers them.
  for (const bundle of bundles) bundle.settle();
}

async function copyMessages(
  items: readonly Message<AnalyticsMessage>[],
  env: Env,
  // Message copies to the team's D1 shard and, as NDJSON, to the R2 archive (issue 19 §2).
  sink: AnalyticsSink = archivingSink(d1AnalyticsSink(env), r2BlobStore(env.FILES)),
): Promise<void> {
  if (items.length === 0) return;
  // One batch per team: each team's rows go to its own shard (worker/db/shards.ts).
  const batches = new Map<string, AnalyticsBatch & { started: Set<string> }>();
  const batchOf = (teamId: string) => {
    let batch = batches.get(teamId);
    if (!batch) {
      batch = { teamId, conversations: [], messages: [], tags: [], touched: [], started: new Set() };
      batches.set(teamId, batch);
    }
    return batch;
  };
  const touch = (batch: AnalyticsBatch & { started: Set<string> }, ref: AnalyticsRef) => {
    if (!batch.touched.includes(ref.conversationId)) batch.touched.push(ref.conversationId);
    if (ref.start && !batch.started.has(ref.conversationId)) {
      batch.started.add(ref.conversationId);
      batch.conversations.push(conversationRow(ref, ref.start));
    }
  };
  for (const item of items) {
    const body = item.body;
    const batch = batchOf(body.teamId);
    if (body.type === 'tags.add') {
      const { conversationId, messageIds, messageTags, conversationTags } = body;
      batch.tags.push({ conversationId, messageIds, messageTags, conversationTags });
      touch(batch, body);
      continue;
    }
    const message =
      body.type === 'message.upsert' ? body.message : await readMessage(env, body.conversationId, body.messageId);
    if (!message) continue; // the conversation no longer holds it: nothing to copy
    batch.messages.push(messageCopy(body, message));
    touch(batch, body);
  }
  for (const { started: _, ...batch } of batches.values()) await sink.write(batch);
  // After the copies landed: a retried batch records its points again (Analytics Engine has no idempotent write; a
  // redelivery is rare and the counters are sampled estimates anyway, docs/scaling.md).
  await usageCounterFor(env).record([...batches.values()].flatMap((batch) => batch.messages.flatMap(usagePoint)));
  for (const item of items) item.ack();
}

/** D1 binds at most 100 parameters per statement (developers.cloudflare.com/d1/platform/limits). */
const TEAMS_PER_READ = 100;

/**
 * The teams among `teamIds` that exist and are not marked deleted. A copy or event row queued before a team's
 * deletion and delivered after its sweep would re-create what the sweep deleted (worker/team-deletion/): the
 * consumer reads this once per batch for all its teams, never once per message — nothing per message on D1
 * (docs/scaling.md). D1 binds at most 100 parameters (developers.cloudflare.com/d1/platform/limits): a batch of more
 * distinct teams than that takes one read per 100.
 */
async function liveTeams(teamIds: readonly string[], env: Env): Promise<Set<string>> {
  const distinct = [...new Set(teamIds)];
  const live = new Set<string>();
  for (let i = 0; i < distinct.length; i += TEAMS_PER_READ) {
    const page = distinct.slice(i, i + TEAMS_PER_READ);
    const { results } = await env.DB.prepare(
      `SELECT id FROM teams WHERE deleted_at IS NULL AND id IN (${page.map((_, n) => `?${n + 1}`).join(', ')})`,
    )
      .bind(...page)
      .all<{ id: string }>();
    for (const row of results) live.add(row.id);
  }
  return live;
}

/** Acks the messages of teams not in `live` and returns the rest; logs counts per team, never a body. */
function skipDeletedTeams<T>(
  items: readonly Message<T>[],
  live: ReadonlySet<string>,
  teamOf: (body: T) => string,
  kind: 'analytics' | 'events',
): Message<T>[] {
  const kept: Message<T>[] = [];
  const skipped = new Map<string, number>();
  for (const item of items) {
    const teamId = teamOf(item.body);
    if (live.has(teamId)) kept.push(item);
    else {
      item.ack();
      skipped.set(teamId, (skipped.get(teamId) ?? 0) + 1);
    }
  }
  for (const [teamId, messages] of skipped) {
    console.log(JSON.stringify({ level: 'info', event: `${kind}.skipped_deleted_team`, teamId, messages }));
  }
  return kept;
}

/** A finished reply's usage; user messages and unfinished replies count nothing. */
function usagePoint(copy: MessageCopy): UsagePoint[] {
  if (copy.role !== 'assistant' || copy.status !== 'complete' || !copy.completedAt) return [];
  return [
    {
      teamId: copy.teamId,
      chatbotId: copy.chatbotId,
      conversationId: copy.conversationId,
      providerId: copy.providerId ?? null,
      model: copy.model ?? null,
      inputTokens: copy.inputTokens ?? 0,
      outputTokens: copy.outputTokens ?? 0,
      responseMs: copy.createdAt === undefined ? null : copy.completedAt - copy.createdAt,
      at: copy.completedAt,
    },
  ];
}

async function readMessage(env: Env, conversationId: string, messageId: string): Promise<ConversationMessage | null> {
  return conversationStub(env, conversationId).getMessage(messageId);
}

function messageCopy(ref: ConversationRef, message: ConversationMessage): MessageCopy {
  return {
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
}

/** The conversation's row, unless it has one: a widget conversation gets its row from the copy of its first message. */
function conversationRow(ref: ConversationRef, start: ConversationStart): ConversationIndexRow {
  return {
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
  };
}

import type { AnalyticsMessage, AnalyticsRef, OutboxBundle, QueueMessage, RunTags } from '../queue/messages.ts';

type BundledMessage = OutboxBundle['items'][number];

import type { ConversationMeta } from './meta.ts';
import type { ConversationStore } from './store.ts';

// Queues: a message holds ≤ 128 KB and one sendBatch ≤ 256 KB (developers.cloudflare.com/queues/platform/limits).
// Leave headroom for the envelope: inline up to 96 KB, bundle up to 120 KB, and at most 192 KB per batch.
const MAX_INLINE_BYTES = 96 * 1024;
const MAX_BATCH_BYTES = 192 * 1024;
const MAX_BUNDLE_BYTES = 120 * 1024;
const MAX_BATCH_MESSAGES = 100;
const RETRY_BASE_MS = 2_000;
const RETRY_MAX_MS = 5 * 60_000;

/** Outbox rows keyed by a pipeline run id carry that run's tags, not a message. */
export const RUN_TAGS_PREFIX = 'run_';

/**
 * The reference every copy carries, with how to create the conversation's D1 row: a widget conversation has none
 * before its first message is copied (worker/queue/consumer.ts creates it, insert-or-ignore).
 */
export function analyticsRef(meta: ConversationMeta, now: number): AnalyticsRef {
  const { conversationId, teamId, chatbotId, chatbotVersionId, participantId, channel, createdAt } = meta;
  const start = {
    chatbotVersionId,
    participantId: participantId ?? null,
    channelId: channel?.channelId ?? null,
    createdAt: createdAt ?? now,
  };
  return { conversationId, teamId, chatbotId, start };
}

/**
 * Another outbox's rows riding on the same `sendBatch` (the event outbox, worker/events/outbox.ts): one queue send
 * per flush whatever left the object. `sent` and `failed` tell it how the send went.
 */
export interface OutboxExtra {
  body: BundledMessage;
  bytes: number;
  sent(): void;
  failed(retryAt: number): void;
}

/**
 * Copies finished messages to the analytics queue. Rows enter the outbox in the same storage write that finishes
 * the message, so a copy is never lost: a failed send stays in the outbox and is retried from the alarm.
 * Returns when the next attempt is due, if any row is left.
 */
export async function flushOutbox(
  store: ConversationStore,
  queue: Queue<QueueMessage>,
  ref: AnalyticsRef,
  now: number,
  runTags: (runId: string) => RunTags | undefined = () => undefined,
  extra?: OutboxExtra,
): Promise<number | undefined> {
  const due = store.dueOutbox(now, MAX_BATCH_MESSAGES);
  const batch: { id: string; body: AnalyticsMessage; bytes: number }[] = [];
  let batchBytes = extra?.bytes ?? 0;
  for (const row of due) {
    // A pipeline run's tags share the outbox (keyed by the run id), so they reach D1 with the same retries.
    const tags = row.message_id.startsWith(RUN_TAGS_PREFIX) ? runTags(row.message_id) : undefined;
    if (tags) {
      const body: AnalyticsMessage = { type: 'tags.add', ...ref, ...tags };
      // At most MAX_TAGS tags of 50 characters per scope and one id per reply: far below the inline bound.
      const bytes = new TextEncoder().encode(JSON.stringify(body)).byteLength;
      if (batchBytes + bytes > MAX_BATCH_BYTES) break;
      batch.push({ id: row.message_id, body, bytes });
      batchBytes += bytes;
      continue;
    }
    const message = store.message(row.message_id);
    if (!message) {
      store.removeOutbox([row.message_id]);
      continue;
    }
    let body: AnalyticsMessage = { type: 'message.upsert', ...ref, message };
    let bytes = new TextEncoder().encode(JSON.stringify(body)).byteLength;
    if (bytes > MAX_INLINE_BYTES) {
      body = { type: 'message.ref', ...ref, messageId: message.id };
      bytes = 512;
    }
    if (batchBytes + bytes > MAX_BATCH_BYTES) break;
    batch.push({ id: message.id, body, bytes });
    batchBytes += bytes;
  }
  if (batch.length > 0 || extra) {
    const ids = batch.map((item) => item.id);
    const parts = [...batch, ...(extra ? [{ body: extra.body, bytes: extra.bytes }] : [])];
    try {
      await queue.sendBatch(bundled(parts).map((body) => ({ body, contentType: 'json' as const })));
      store.removeOutbox(ids);
      extra?.sent();
    } catch (error) {
      const attempts = Math.max(0, ...due.filter((row) => ids.includes(row.message_id)).map((row) => row.attempts));
      const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempts);
      store.postponeOutbox(ids, now + delay);
      extra?.failed(now + delay);
      console.warn(JSON.stringify({ level: 'warn', msg: 'analytics copy deferred', error: String(error), delay }));
    }
  }
  return store.nextOutboxDue();
}

/**
 * The flush's parts packed into as few queue messages as fit (usually one per turn): parts in order, a new bundle
 * when the next part would pass MAX_BUNDLE_BYTES. A lone part goes as itself.
 */
export function bundled(parts: readonly { body: BundledMessage; bytes: number }[]): QueueMessage[] {
  const bundles: { items: BundledMessage[]; bytes: number }[] = [];
  for (const { body, bytes } of parts) {
    const last = bundles.at(-1);
    if (last && last.bytes + bytes <= MAX_BUNDLE_BYTES) {
      last.items.push(body);
      last.bytes += bytes;
    } else bundles.push({ items: [body], bytes });
  }
  return bundles.map(
    ({ items }): QueueMessage => (items.length === 1 && items[0] ? items[0] : { type: 'outbox.bundle', items }),
  );
}

import type { OutboxExtra } from '../conversation/analytics-outbox.ts';
import type { ConversationMeta } from '../conversation/meta.ts';
import type { ActionCall, EventLogEntry, EventsMessage, WebhookCall } from '../queue/messages.ts';
import type { EventStore } from './event-store.ts';

// A queue message holds ≤ 128 KB (developers.cloudflare.com/queues/platform/limits). A row is ≤ ~1 KB (errors and
// log texts are capped at 500 characters, webhook payloads are ids), so 50 rows stay far inside it with the copies.
const MAX_ROWS = 50;
// A schedule_message row carries its prompt (≤ 4,000 characters, ≤ 12 KB of UTF-8): rows stop at this budget, the
// rest go with the next flush. start_pipeline sends a transcript's bounds, never the transcript.
const MAX_BYTES = 64 * 1024;

/**
 * The event outbox's due rows as one `events.fired` message, to ride on the conversation's next outbox flush
 * (flushOutbox's `extra`): at most one queue message per flush, sent in the same `sendBatch` as the message copies.
 * A failed send leaves the rows in place for the alarm to retry.
 */
export function eventsOutboxExtra(events: EventStore, meta: ConversationMeta, now: number): OutboxExtra | undefined {
  const rows = withinBudget(events.dueOutbox(now, MAX_ROWS));
  if (rows.length === 0) return undefined;
  const entries: EventLogEntry[] = [];
  const webhooks: WebhookCall[] = [];
  const tags: string[] = [];
  const actions: ActionCall[] = [];
  let ended = false;
  for (const { item } of rows) {
    if (item.kind === 'log') entries.push(item.entry);
    else if (item.kind === 'webhook') webhooks.push(item.call);
    else if (item.kind === 'action') actions.push(item.call);
    else if (item.kind === 'tag') tags.push(item.name);
    else ended = true;
  }
  const { conversationId, teamId, chatbotId, participantId } = meta;
  const body: EventsMessage = {
    type: 'events.fired',
    ref: { conversationId, teamId, chatbotId, participantId: participantId ?? null },
    entries,
    tags,
    ended,
    webhooks,
    ...(actions.length > 0 && { actions }),
  };
  const ids = rows.map((row) => row.id);
  return {
    body,
    bytes: new TextEncoder().encode(JSON.stringify(body)).byteLength,
    sent: () => events.removeOutbox(ids),
    failed: (retryAt) => events.postponeOutbox(ids, retryAt),
  };
}

/** The first rows whose JSON fits MAX_BYTES (at least one: a single row is always far smaller than a message). */
function withinBudget<T extends { item: unknown }>(rows: T[]): T[] {
  const encoder = new TextEncoder();
  let bytes = 0;
  const taken: T[] = [];
  for (const row of rows) {
    bytes += encoder.encode(JSON.stringify(row.item)).byteLength;
    if (taken.length > 0 && bytes > MAX_BYTES) break;
    taken.push(row);
  }
  return taken;
}

import type { OutboxExtra } from '../conversation/analytics-outbox.ts';
import type { ConversationMeta } from '../conversation/meta.ts';
import type { EventLogEntry, EventsMessage, WebhookCall } from '../queue/messages.ts';
import type { EventStore } from './event-store.ts';

// A queue message holds ≤ 128 KB (developers.cloudflare.com/queues/platform/limits). A row is ≤ ~1 KB (errors and
// log texts are capped at 500 characters, webhook payloads are ids), so 50 rows stay far inside it with the copies.
const MAX_ROWS = 50;

/**
 * The event outbox's due rows as one `events.fired` message, to ride on the conversation's next outbox flush
 * (flushOutbox's `extra`): at most one queue message per flush, sent in the same `sendBatch` as the message copies.
 * A failed send leaves the rows in place for the alarm to retry.
 */
export function eventsOutboxExtra(events: EventStore, meta: ConversationMeta, now: number): OutboxExtra | undefined {
  const rows = events.dueOutbox(now, MAX_ROWS);
  if (rows.length === 0) return undefined;
  const entries: EventLogEntry[] = [];
  const webhooks: WebhookCall[] = [];
  const tags: string[] = [];
  let ended = false;
  for (const { item } of rows) {
    if (item.kind === 'log') entries.push(item.entry);
    else if (item.kind === 'webhook') webhooks.push(item.call);
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
  };
  const ids = rows.map((row) => row.id);
  return {
    body,
    bytes: new TextEncoder().encode(JSON.stringify(body)).byteLength,
    sent: () => events.removeOutbox(ids),
    failed: (retryAt) => events.postponeOutbox(ids, retryAt),
  };
}

import type { AnalyticsBatch, AnalyticsSink, MessageCopy } from '../ports/analytics-sink.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import { latestCopies } from './latest-copies.ts';

/** Where the archive lives in the blob store (docs/scaling.md "Message archive"). */
export const ARCHIVE_PREFIX = 'archive/';

/**
 * The R2 archive of message copies (issue 19 §2), in front of another sink (the D1 shard): each team's part of a
 * queue batch becomes one NDJSON object per UTC day of its messages' `createdAt` (one, two around midnight), one
 * message copy per line, ordered by conversation and position, at `archive/<teamId>/<yyyy-mm-dd>/<sha-256>.ndjson`.
 * The key is a function of the content alone, so a redelivered batch rewrites the same object with the same bytes:
 * idempotent. One put per team per queue batch, and keys never repeat across batches, so R2's 1 write/s per key is
 * never approached (developers.cloudflare.com/r2/platform/limits). A copy read again later (a streaming reply that
 * completed meanwhile) is different content, hence another object: the reader (worker/archive/reader.ts) keeps, per
 * (conversation, message), the line that is not `streaming` with the latest `completedAt` — the archive is
 * append-only, like the queue's deliveries. The archive holds the whole copy; D1 only its index row (index-row.ts).
 *
 * Both writes must land: either throwing makes Queues redeliver the batch, and both are idempotent.
 */
export function archivingSink(inner: AnalyticsSink, store: BlobStore): AnalyticsSink {
  return {
    async write(batch) {
      await Promise.all([archive(store, batch), inner.write(batch)]);
    },
  };
}

async function archive(store: BlobStore, batch: AnalyticsBatch): Promise<void> {
  const objects = await archiveObjects(batch.teamId, latestCopies(batch.messages));
  await Promise.all(objects.map(({ key, body }) => store.put(key, body, 'application/x-ndjson')));
}

/**
 * A team's copies as archive objects: one per UTC day of the messages' `createdAt`, so every copy of a message
 * created on day D is under D whatever else its batch carried (a rating added months later re-copies an old
 * message next to today's), and a reader of a date range lists exactly its days. A batch is one object, two
 * around midnight.
 */
export async function archiveObjects(
  teamId: string,
  copies: readonly MessageCopy[],
): Promise<{ key: string; body: string }[]> {
  const byDay = new Map<string, MessageCopy[]>();
  for (const copy of copies) {
    const day = archiveDay(copy.createdAt);
    byDay.set(day, [...(byDay.get(day) ?? []), copy]);
  }
  return Promise.all(
    [...byDay.values()].map(async (dayCopies) => {
      const sorted = [...dayCopies].sort(byConversationAndPosition);
      const body = `${sorted.map((copy) => JSON.stringify(copy)).join('\n')}\n`;
      return { key: await archiveKey(teamId, sorted[0]?.createdAt ?? 0, body), body };
    }),
  );
}

/** The UTC day (yyyy-mm-dd) a message created at `at` is archived under. */
export const archiveDay = (at: number) => new Date(at).toISOString().slice(0, 10);

export async function archiveKey(teamId: string, createdAt: number, body: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body)));
  const hex = [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${ARCHIVE_PREFIX}${teamId}/${archiveDay(createdAt)}/${hex}.ndjson`;
}

function byConversationAndPosition(a: MessageCopy, b: MessageCopy): number {
  if (a.conversationId !== b.conversationId) return a.conversationId < b.conversationId ? -1 : 1;
  return a.position - b.position;
}

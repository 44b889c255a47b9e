import type { AnalyticsBatch, AnalyticsSink, MessageCopy } from '../ports/analytics-sink.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import { latestCopies } from './latest-copies.ts';

/** Where the archive lives in the blob store (docs/scaling.md "Message archive"). */
export const ARCHIVE_PREFIX = 'archive/';

/**
 * The R2 archive of message copies (issue 19 §2), in front of another sink (the D1 shard): each team's part of a
 * queue batch becomes one NDJSON object, one message copy per line, ordered by conversation and position, at
 * `archive/<teamId>/<yyyy-mm-dd>/<sha-256 of the lines>.ndjson` (the day of the batch's earliest message, UTC).
 * The key is a function of the content alone, so a redelivered batch rewrites the same object with the same bytes:
 * idempotent. One put per team per queue batch, and keys never repeat across batches, so R2's 1 write/s per key is
 * never approached (developers.cloudflare.com/r2/platform/limits). A copy read again later (a streaming reply that
 * completed meanwhile) is different content, hence another object: a reader keeps, per (conversation, message), the
 * line with the latest `completedAt` / status — the archive is append-only, like the queue's deliveries.
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
  const copies = latestCopies(batch.messages).sort(byConversationAndPosition);
  const first = copies[0];
  if (!first) return;
  const body = `${copies.map((copy) => JSON.stringify(copy)).join('\n')}\n`;
  const earliest = Math.min(...copies.map((copy) => copy.createdAt));
  await store.put(await archiveKey(batch.teamId, earliest, body), body, 'application/x-ndjson');
}

export async function archiveKey(teamId: string, earliest: number, body: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body)));
  const hex = [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  const day = new Date(earliest).toISOString().slice(0, 10);
  return `${ARCHIVE_PREFIX}${teamId}/${day}/${hex}.ndjson`;
}

function byConversationAndPosition(a: MessageCopy, b: MessageCopy): number {
  if (a.conversationId !== b.conversationId) return a.conversationId < b.conversationId ? -1 : 1;
  return a.position - b.position;
}

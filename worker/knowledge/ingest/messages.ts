/**
 * Messages of the `parley-ingest` queue. Each names one step of one ingestion attempt (`ingestId`): the consumer
 * drops a message whose attempt is no longer the document's (it was re-indexed, replaced or deleted since). They
 * carry ids only — chunk text and plans sit in R2 — so every message stays far under Queues' 128 KB limit.
 */
export interface IngestTarget {
  teamId: string;
  collectionId: string;
  documentId: string;
  ingestId: string;
}

/** Parse the document, chunk it, diff with the index and plan the embedding batches. */
export interface ParseMessage extends IngestTarget {
  kind: 'parse';
}

/** Embed one planned batch (its chunks in R2) and add it to the index. */
export interface EmbedMessage extends IngestTarget {
  kind: 'embed';
  batch: number;
}

export type IngestMessage = ParseMessage | EmbedMessage;

/** Queues accepts at most 100 messages per sendBatch (developers.cloudflare.com/queues/platform/limits). */
export const MAX_SEND_BATCH = 100;

export async function sendAll(queue: Queue, messages: readonly IngestMessage[]): Promise<void> {
  for (let start = 0; start < messages.length; start += MAX_SEND_BATCH) {
    await queue.sendBatch(messages.slice(start, start + MAX_SEND_BATCH).map((body) => ({ body })));
  }
}

export function isIngestMessage(body: unknown): body is IngestMessage {
  if (typeof body !== 'object' || body === null) return false;
  const m = body as Record<string, unknown>;
  const ids = ['teamId', 'collectionId', 'documentId', 'ingestId'].every((k) => typeof m[k] === 'string');
  return ids && (m.kind === 'parse' || (m.kind === 'embed' && Number.isInteger(m.batch)));
}

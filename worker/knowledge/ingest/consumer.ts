import type { Env } from '../../env.ts';

/** The `parley-ingest` queue's consumer (placeholder until ingestion lands): acknowledges nothing it cannot handle. */
export async function consumeIngest(batch: MessageBatch<unknown>, _env: Env): Promise<void> {
  for (const message of batch.messages) message.ack();
}

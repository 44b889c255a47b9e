import type { Chunk } from './chunker.ts';

/**
 * An ingestion attempt's plan, written to R2 once parsing is done (its presence marks the parse step complete, so a
 * redelivered parse message resumes instead of re-planning): every chunk key of the new content, and how many
 * embedding batches (`batch-<n>.json`, the chunks to embed) there are.
 */
export interface IngestPlan {
  ingestId: string;
  keys: string[];
  chunksTotal: number;
  chunksReused: number;
  batchCount: number;
}

export type PlannedChunk = Omit<Chunk, never>;

export const planKey = (prefix: string) => `${prefix}plan.json`;
export const textKey = (prefix: string) => `${prefix}text.json`;
export const batchKey = (prefix: string, batch: number) => `${prefix}batch-${batch}.json`;

export async function readJson<T>(bucket: R2Bucket, key: string): Promise<T | null> {
  const object = await bucket.get(key);
  return object ? ((await object.json()) as T) : null;
}

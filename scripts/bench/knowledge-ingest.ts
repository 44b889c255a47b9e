/// <reference types="node" />
/** Ingestion throughput for `npm run bench:knowledge` (placeholder until knowledge ingestion lands). */
export async function ingestBench(): Promise<string> {
  return 'Ingestion throughput: not measured yet.';
}

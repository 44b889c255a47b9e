/** What the document table shows of a document's ingestion, and when it keeps polling. */
import type { DocumentStatus, KnowledgeDocument } from './api';

/** The table polls this often while a document is still being ingested (issue 16 §3: visible progress). */
export const POLL_INTERVAL_MS = 1500;

const PENDING: readonly DocumentStatus[] = ['queued', 'parsing', 'embedding'];

export const isPending = (status: DocumentStatus) => PENDING.includes(status);

/** Polling runs only while something can still change by itself. */
export const anyPending = (documents: readonly Pick<KnowledgeDocument, 'status'>[]) =>
  documents.some((document) => isPending(document.status));

export const STATUS_LABELS: Record<DocumentStatus, string> = {
  queued: 'Queued',
  parsing: 'Parsing',
  embedding: 'Embedding',
  ready: 'Ready',
  failed: 'Failed',
};

/**
 * Chunks done out of total as a whole percentage, or null while the total is unknown (0 until the document is parsed
 * and chunked, worker/knowledge/documents/schemas.ts), so the bar shows "indeterminate" rather than a false 0 %.
 */
export function progressPercent(progress: KnowledgeDocument['progress']): number | null {
  if (progress.chunksTotal <= 0) return null;
  return Math.min(100, Math.floor((progress.chunksDone / progress.chunksTotal) * 100));
}

// Shared with the transcript's file chips (components/Attachments.tsx).
export { formatBytes } from '../../lib/format';

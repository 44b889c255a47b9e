/** A document's status badge, its progress bar while ingesting, and why it failed. */
import type { KnowledgeDocument } from './api';
import { isPending, progressPercent, STATUS_LABELS } from './ingest-status';

export function IngestProgress({ title, progress }: { title: string; progress: KnowledgeDocument['progress'] }) {
  const percent = progressPercent(progress);
  return (
    <div class="ingest-progress">
      {/* No value: an indeterminate bar until the document is chunked and its total is known. */}
      <progress
        key={percent === null ? 'unknown' : 'known'}
        max={100}
        {...(percent !== null && { value: percent })}
        aria-label={`Ingestion of ${title}`}
      />
      <span class="small muted">
        {percent === null ? 'preparing…' : `${progress.chunksDone} / ${progress.chunksTotal} chunks`}
      </span>
    </div>
  );
}

export function DocumentStatus({ document }: { document: KnowledgeDocument }) {
  return (
    <div class="document-status">
      <span class={`badge status-${document.status}`}>{STATUS_LABELS[document.status]}</span>
      {isPending(document.status) && <IngestProgress title={document.title} progress={document.progress} />}
      {document.status === 'ready' && <span class="small muted"> {document.progress.chunksTotal} chunks</span>}
      {document.status === 'failed' && document.error && <div class="field-error small">{document.error}</div>}
    </div>
  );
}

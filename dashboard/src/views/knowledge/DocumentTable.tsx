/** A collection's documents with their ingestion status and progress (the state lives in use-documents.ts). */
import { Empty, ErrorBanner, Loading } from '../../components/feedback';
import { formatRelative } from '../../lib/format';
import type { KnowledgeDocument } from './api';
import { DocumentActions } from './DocumentActions';
import { DocumentStatus } from './DocumentStatus';
import { formatBytes } from './ingest-status';
import type { useDocuments } from './use-documents';

const FORMAT_LABELS: Record<KnowledgeDocument['format'], string> = {
  pdf: 'PDF',
  docx: 'DOCX',
  xlsx: 'XLSX',
  pptx: 'PPTX',
  html: 'HTML',
  markdown: 'Markdown',
  csv: 'CSV',
  txt: 'Text',
};

function Source({ document }: { document: KnowledgeDocument }) {
  if (document.source === 'url' && document.sourceUrl)
    return (
      <div class="muted small ellipsis" title={document.sourceUrl}>
        {document.sourceUrl}
      </div>
    );
  return <div class="muted small">{document.source === 'text' ? 'Pasted text' : 'Uploaded file'}</div>;
}

interface Props {
  collectionId: string;
  documents: ReturnType<typeof useDocuments>;
}

export function DocumentTable({ collectionId, documents }: Props) {
  const { state, loadMore, refresh, put, remove } = documents;
  if (state.error && state.items.length === 0)
    return <ErrorBanner title="Couldn't load the documents" error={state.error} onRetry={() => void refresh()} />;
  if (state.loading && state.items.length === 0) return <Loading what="documents" />;
  if (state.items.length === 0)
    return (
      <Empty title="No documents yet.">
        Drop files above, add a page by its URL, or paste text: each is parsed, chunked and embedded on a queue.
      </Empty>
    );
  return (
    <>
      <div class="table-scroll">
        <table class="table documents">
          <thead>
            <tr>
              <th>Document</th>
              <th>Format</th>
              <th class="num">Size</th>
              <th>Status</th>
              <th>Added</th>
              <th>
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {state.items.map((document) => (
              <tr key={document.id}>
                <td>
                  <strong>{document.title}</strong>
                  <Source document={document} />
                </td>
                <td>{FORMAT_LABELS[document.format] ?? document.format}</td>
                <td class="num nowrap">{formatBytes(document.bytes)}</td>
                <td>
                  <DocumentStatus document={document} />
                </td>
                <td class="muted nowrap">{formatRelative(document.createdAt)}</td>
                <td class="actions">
                  <DocumentActions collectionId={collectionId} document={document} onChanged={put} onDeleted={remove} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {state.error && <ErrorBanner title="Couldn't refresh the documents" error={state.error} />}
      {state.nextCursor && (
        <button type="button" class="button load-more" disabled={state.loading} onClick={() => void loadMore()}>
          {state.loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}

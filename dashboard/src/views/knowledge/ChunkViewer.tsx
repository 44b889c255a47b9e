/**
 * One document's chunks as retrieval sees them: ordinal, heading context, page, tokens and text, a page at a time.
 * Live chunks come first, then retired ones (kept for pinned chatbot versions) with the revision that retired them.
 */
import { useState } from 'preact/hooks';
import { ErrorBanner, Loading } from '../../components/feedback';
import { get } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import { type ChunkPage, type KnowledgeDocument, knowledgePaths } from './api';
import { DocumentStatus } from './DocumentStatus';

/** Chunks per page: ~800-token chunks make 20 a long but readable page. */
const PAGE_SIZE = 20;

export function ChunkViewer({ collectionId, documentId }: { collectionId: string; documentId: string }) {
  // The cursors of the pages before the one shown (the API pages forwards only).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors.at(-1) ?? null;
  const [document] = useResource(
    (signal) => get<KnowledgeDocument>(knowledgePaths.document(collectionId, documentId), { signal }),
    [collectionId, documentId],
  );
  const [chunks, reload] = useResource(
    (signal) =>
      get<ChunkPage>(
        `${knowledgePaths.chunks(collectionId, documentId)}?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { signal },
      ),
    [collectionId, documentId, cursor],
  );
  const first = (cursors.length - 1) * PAGE_SIZE;
  return (
    <section class="card" aria-label="Chunks">
      <div class="section-header">
        <h2>Chunks of {document.status === 'ready' ? `“${document.value.title}”` : 'the document'}</h2>
        <a href={href('knowledge', collectionId)}>Back to the documents</a>
      </div>
      {document.status === 'ready' && <DocumentStatus document={document.value} />}
      {chunks.status === 'loading' && <Loading what="chunks" />}
      {chunks.status === 'error' && (
        <ErrorBanner title="Couldn't load the chunks" error={chunks.error} onRetry={reload} />
      )}
      {chunks.status === 'ready' && (
        <>
          <p class="muted">
            {chunks.value.total === 0
              ? 'No chunks yet: they appear once the document is parsed.'
              : `Chunks ${first + 1}–${first + chunks.value.data.length} of ${chunks.value.total}`}
          </p>
          <ol class="chunks">
            {chunks.value.data.map((chunk) => (
              <li key={chunk.chunkKey} class={`chunk${chunk.retiredRevision !== undefined ? ' retired' : ''}`}>
                <div class="chunk-meta">
                  <span class="badge">#{chunk.ordinal + 1}</span>
                  {chunk.context && <span class="chunk-context">{chunk.context}</span>}
                  {chunk.page !== undefined && <span class="muted small">page {chunk.page}</span>}
                  <span class="muted small">{chunk.tokens} tokens</span>
                  <span class="muted small">added at revision {chunk.addedRevision}</span>
                  {chunk.retiredRevision !== undefined && (
                    <span class="badge revoked">retired at revision {chunk.retiredRevision}</span>
                  )}
                </div>
                <p class="chunk-text">{chunk.text}</p>
              </li>
            ))}
          </ol>
          <div class="row pager">
            <button
              type="button"
              class="button subtle"
              disabled={cursors.length <= 1}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              Previous
            </button>
            <button
              type="button"
              class="button subtle"
              disabled={!chunks.value.nextCursor}
              onClick={() => setCursors([...cursors, chunks.value.nextCursor])}
            >
              Next
            </button>
          </div>
        </>
      )}
    </section>
  );
}

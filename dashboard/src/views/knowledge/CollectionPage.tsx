/** One knowledge collection: its documents (upload, progress, chunks), the query preview and its settings. */
import { useEffect, useRef } from 'preact/hooks';
import { ErrorBanner, Loading, PageHeader } from '../../components/feedback';
import { formatNumber } from '../../lib/format';
import { del, get } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { href, navigate } from '../../lib/router';
import { can } from '../../lib/session';
import { useAction } from '../../lib/use-action';
import { AddDocumentForms } from './AddDocumentForms';
import { type Collection, knowledgePaths } from './api';
import { ChunkViewer } from './ChunkViewer';
import { CollectionForm } from './CollectionForm';
import { collectionTabs, isCollectionTab } from './collection-tabs';
import { DocumentTable } from './DocumentTable';
import { DropZone } from './DropZone';
import { QueryPreview } from './QueryPreview';
import { useDocuments } from './use-documents';
import { useEmbedders } from './use-embedders';

function Documents({ collection, onSettled }: { collection: Collection; onSettled: () => void }) {
  const documents = useDocuments(collection.id);
  // The header's counts and revision change when ingestion ends: re-read the collection then.
  const wasPending = useRef(false);
  useEffect(() => {
    if (wasPending.current && !documents.pending) onSettled();
    wasPending.current = documents.pending;
  }, [documents.pending, onSettled]);
  const added = (document: Parameters<typeof documents.put>[0]) => {
    documents.put(document);
    void documents.refresh();
  };
  return (
    <>
      {can('edit') && (
        <>
          <DropZone collectionId={collection.id} documents={documents.state.items} onUploaded={added} />
          <AddDocumentForms collectionId={collection.id} onAdded={added} />
        </>
      )}
      <section class="card" aria-label="Documents">
        <DocumentTable collectionId={collection.id} documents={documents} />
      </section>
    </>
  );
}

function Settings({ collection, onSaved }: { collection: Collection; onSaved: (c: Collection) => void }) {
  const [embedders] = useEmbedders();
  const { error, busy, run, notice, setNotice } = useAction();
  return (
    <>
      {can('edit') && (
        <CollectionForm
          collection={collection}
          embedders={embedders.status === 'ready' ? embedders.value : []}
          onSaved={(saved) => {
            onSaved(saved);
            setNotice('Settings saved.');
          }}
        />
      )}
      {notice && (
        <p class="banner notice" role="status">
          {notice}
        </p>
      )}
      {can('edit') && (
        <section class="card danger-zone" aria-label="Delete the collection">
          <h2>Delete the collection</h2>
          <p class="muted">Its documents, their files and its index go too. Chatbots that use it stop finding them.</p>
          <button
            type="button"
            class="button danger"
            disabled={busy}
            onClick={() => {
              if (!confirm(`Delete the collection "${collection.name}" and all ${collection.documentCount} documents?`))
                return;
              void run(async () => {
                await del(knowledgePaths.collection(collection.id));
                navigate(href('knowledge'));
              });
            }}
          >
            Delete collection
          </button>
          {error && <ErrorBanner title="Couldn't delete the collection" error={error} />}
        </section>
      )}
    </>
  );
}

interface Props {
  id: string;
  tab: string | undefined;
  documentId: string | undefined;
}

export function CollectionPage({ id, tab, documentId }: Props) {
  const [state, reload, replace] = useResource(
    (signal) => get<Collection>(knowledgePaths.collection(id), { signal }),
    [id],
  );
  if (state.status === 'loading') return <Loading what="collection" />;
  if (state.status === 'error')
    return <ErrorBanner title="Couldn't load the collection" error={state.error} onRetry={reload} />;
  const collection = state.value;
  const current = isCollectionTab(tab) ? tab : 'documents';
  return (
    <>
      <PageHeader title={collection.name}>
        <span class="muted">
          {formatNumber(collection.documentCount)} documents · {formatNumber(collection.chunkCount)} chunks · revision{' '}
          {collection.revision} · <code class="small">{collection.embedder.model}</code>
        </span>
      </PageHeader>
      {collection.description && <p class="muted lead">{collection.description}</p>}
      <nav class="tabs" aria-label="Collection sections">
        {collectionTabs.map(([key, label]) => (
          <a key={key} href={href('knowledge', collection.id, key)} aria-current={current === key ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      {current === 'documents' && documentId && <ChunkViewer collectionId={collection.id} documentId={documentId} />}
      {current === 'documents' && !documentId && <Documents collection={collection} onSettled={reload} />}
      {current === 'search' && <QueryPreview collectionId={collection.id} />}
      {current === 'settings' && <Settings collection={collection} onSaved={replace} />}
    </>
  );
}

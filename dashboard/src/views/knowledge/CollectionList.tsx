/** Knowledge: the team's collections (documents, chunks, revision) and the form that creates one. */
import { useState } from 'preact/hooks';
import { Empty, PageHeader } from '../../components/feedback';
import { type Column, PagedTable } from '../../components/paged-table';
import { formatNumber, formatRelative } from '../../lib/format';
import { href, navigate } from '../../lib/router';
import { can } from '../../lib/session';
import { type Collection, knowledgePaths } from './api';
import { CollectionForm } from './CollectionForm';
import { useEmbedders } from './use-embedders';

const COLUMNS: readonly Column<Collection>[] = [
  {
    header: 'Collection',
    cell: (collection) => (
      <>
        <a href={href('knowledge', collection.id)}>
          <strong>{collection.name}</strong>
        </a>
        {collection.description && <div class="muted small clamp-2">{collection.description}</div>}
      </>
    ),
  },
  {
    header: 'Embedder',
    cell: ({ embedder }) => (
      <>
        {embedder.pluginId} <code class="small">{embedder.model}</code>
      </>
    ),
  },
  { header: 'Documents', class: 'num', cell: (collection) => formatNumber(collection.documentCount) },
  { header: 'Chunks', class: 'num', cell: (collection) => formatNumber(collection.chunkCount) },
  { header: 'Revision', class: 'num', cell: (collection) => collection.revision },
  { header: 'Updated', class: 'muted', cell: (collection) => formatRelative(collection.updatedAt) },
];

function NewCollection() {
  const [open, setOpen] = useState(false);
  const [embedders] = useEmbedders();
  if (!open)
    return (
      <button type="button" class="button primary" onClick={() => setOpen(true)}>
        New collection
      </button>
    );
  return (
    <CollectionForm
      embedders={embedders.status === 'ready' ? embedders.value : []}
      onSaved={(collection) => navigate(href('knowledge', collection.id))}
      onCancel={() => setOpen(false)}
    />
  );
}

export function CollectionList() {
  return (
    <>
      <PageHeader title="Knowledge" />
      <p class="muted lead">
        Collections of documents chatbots answer from: add files, pages or text, watch them ingest, and preview what
        retrieval finds.
      </p>
      {can('edit') && <NewCollection />}
      <section class="card" aria-label="Collections">
        <PagedTable<Collection>
          path={knowledgePaths.collections}
          what="collections"
          empty={
            <Empty title="No collections yet.">
              Create one: it starts on the offline embedder, so you can try it without an API key.
            </Empty>
          }
          columns={COLUMNS}
          rowKey={(collection) => collection.id}
        />
      </section>
    </>
  );
}

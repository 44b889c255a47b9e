/**
 * Drag-and-drop upload (issue 16 §2): drop several files or pick them; each is checked against the server's limit,
 * uploaded one after another with its bytes-sent progress, then followed through ingestion in the same list (from
 * the documents the table polls), until it is ready or failed.
 */
import { useRef, useState } from 'preact/hooks';
import { sendFile } from '../../lib/http';
import { toApiError } from '../../lib/resource';
import { type KnowledgeDocument, knowledgePaths } from './api';
import { IngestProgress } from './DocumentStatus';
import { formatBytes, isPending, STATUS_LABELS } from './ingest-status';
import { ACCEPT_HINT, MAX_UPLOAD_BYTES, uploadProblem } from './upload-check';

interface Upload {
  key: number;
  name: string;
  size: number;
  phase: 'waiting' | 'uploading' | 'sent' | 'refused' | 'failed';
  percent: number;
  problem?: string;
  documentId?: string;
}

interface Props {
  collectionId: string;
  /** The documents as last polled, to show an uploaded file's ingestion. */
  documents: readonly KnowledgeDocument[];
  onUploaded: (document: KnowledgeDocument) => void;
}

let nextKey = 0;

export function DropZone({ collectionId, documents, onUploaded }: Props) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const queue = useRef(Promise.resolve());

  const update = (key: number, change: Partial<Upload>) =>
    setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...change } : u)));

  async function send(upload: Upload, file: File) {
    update(upload.key, { phase: 'uploading' });
    try {
      const document = await sendFile<KnowledgeDocument>(
        'POST',
        knowledgePaths.upload(collectionId, file.name),
        file,
        (sent, total) => update(upload.key, { percent: total > 0 ? Math.floor((sent / total) * 100) : 0 }),
      );
      update(upload.key, { phase: 'sent', percent: 100, documentId: document.id });
      onUploaded(document);
    } catch (error) {
      update(upload.key, { phase: 'failed', problem: toApiError(error).message });
    }
  }

  function add(files: readonly File[]) {
    const added = files.map((file): [Upload, File] => {
      const problem = uploadProblem(file);
      const upload: Upload = { key: nextKey++, name: file.name, size: file.size, phase: 'waiting', percent: 0 };
      return [problem ? { ...upload, phase: 'refused', problem } : upload, file];
    });
    setUploads((all) => [...added.map(([upload]) => upload), ...all]);
    for (const [upload, file] of added) {
      if (upload.phase === 'refused') continue;
      // One upload at a time: parallel 25 MB bodies would only share the same uplink.
      queue.current = queue.current.then(() => send(upload, file));
    }
  }

  const documentOf = (upload: Upload) => documents.find((d) => d.id === upload.documentId);
  const finished = uploads.filter((u) => {
    const document = documentOf(u);
    return u.phase === 'refused' || u.phase === 'failed' || (document && !isPending(document.status));
  });

  return (
    <section class="card" aria-label="Upload documents">
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop target; the button inside is the keyboard path. */}
      <div
        class={`drop-zone${over ? ' over' : ''}`}
        onDragEnter={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragOver={(event) => {
          event.preventDefault();
          if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={(event) => {
          if (!(event.currentTarget as Node).contains(event.relatedTarget as Node | null)) setOver(false);
        }}
        onDrop={(event) => {
          event.preventDefault();
          setOver(false);
          add([...(event.dataTransfer?.files ?? [])]);
        }}
      >
        <p>
          <strong>Drop files here</strong> or{' '}
          <button type="button" class="button" onClick={() => input.current?.click()}>
            Choose files…
          </button>
        </p>
        <p class="muted small">
          PDF, DOCX, XLSX, PPTX, HTML, Markdown, CSV or text; at most {formatBytes(MAX_UPLOAD_BYTES)} each.
        </p>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT_HINT}
          class="visually-hidden"
          tabIndex={-1}
          aria-label="Files to upload"
          onChange={(event) => {
            const target = event.target as HTMLInputElement;
            add([...(target.files ?? [])]);
            target.value = '';
          }}
        />
      </div>
      {uploads.length > 0 && (
        <>
          <ul class="uploads" aria-label="Uploads">
            {uploads.map((upload) => (
              <UploadLine key={upload.key} upload={upload} document={documentOf(upload)} />
            ))}
          </ul>
          {finished.length > 0 && (
            <button
              type="button"
              class="button subtle small"
              onClick={() => setUploads((all) => all.filter((u) => !finished.includes(u)))}
            >
              Clear finished
            </button>
          )}
        </>
      )}
    </section>
  );
}

function UploadLine({ upload, document }: { upload: Upload; document: KnowledgeDocument | undefined }) {
  return (
    <li class={`upload ${upload.phase}`}>
      <span class="upload-name">
        {upload.name} <span class="muted small">{formatBytes(upload.size)}</span>
      </span>
      {(upload.phase === 'refused' || upload.phase === 'failed') && (
        <span class="field-error small">
          {upload.phase === 'refused' ? 'Not uploaded: ' : 'Upload failed: '}
          {upload.problem}
        </span>
      )}
      {upload.phase === 'waiting' && <span class="muted small">Waiting…</span>}
      {upload.phase === 'uploading' && (
        <div class="ingest-progress">
          <progress max={100} value={upload.percent} aria-label={`Upload of ${upload.name}`} />
          <span class="small muted">uploading {upload.percent} %</span>
        </div>
      )}
      {upload.phase === 'sent' && document && (
        <span class="upload-ingest">
          <span class={`badge status-${document.status}`}>{STATUS_LABELS[document.status]}</span>
          {isPending(document.status) && <IngestProgress title={document.title} progress={document.progress} />}
          {document.status === 'ready' && <span class="small muted">{document.progress.chunksTotal} chunks</span>}
          {document.status === 'failed' && <span class="field-error small">{document.error}</span>}
        </span>
      )}
    </li>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { formatBytes } from '../lib/format';
import { type ApiError, asSentence, download } from '../lib/http';
import { toApiError } from '../lib/resource';
import {
  type AttachmentView,
  attachmentsOf,
  type FileDeliveryView,
  fileBadge,
  fileDeliveryOf,
  fileUrl,
  isPreviewable,
} from './message-files';

/**
 * A message's files (issue 18 §1: a custom action's file becomes an attachment of the reply; a user's uploads): images
 * as a thumbnail, everything as a chip with its name, size and a Download button. The API wants the team header
 * (lib/http.ts), which a plain `<a href>` cannot send, so files are fetched as a Blob and saved from an object URL.
 */
export function Attachments({
  conversationId,
  metadata,
}: {
  conversationId: string;
  metadata: Record<string, unknown>;
}) {
  const files = attachmentsOf(metadata);
  if (files.length === 0) return null;
  return (
    <ul class="attachments" aria-label={files.length === 1 ? '1 file' : `${files.length} files`}>
      {files.map((file) => (
        <AttachmentItem
          key={file.fileId}
          conversationId={conversationId}
          file={file}
          delivery={fileDeliveryOf(metadata, file.fileId)}
        />
      ))}
    </ul>
  );
}

/** Saves a Blob under `name` through a temporary link; the object URL is revoked once the browser has taken it. */
function save(blob: Blob, name: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  // Revoking at once can cancel the download in some browsers; 10 s is ample (as the export does, Export.tsx).
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

function AttachmentItem({
  conversationId,
  file,
  delivery,
}: {
  conversationId: string;
  file: AttachmentView;
  delivery: FileDeliveryView | undefined;
}) {
  const url = fileUrl(conversationId, file.fileId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const preview = usePreview(url, isPreviewable(file));

  async function onDownload() {
    setBusy(true);
    setError(null);
    try {
      save(preview.blob ?? (await download(url)), file.name);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <li class="attachment">
      {preview.src ? (
        <a class="attachment-thumb" href={preview.src} target="_blank" rel="noopener" title={`Open ${file.name}`}>
          <img src={preview.src} alt={file.name} />
        </a>
      ) : (
        <span class="attachment-icon" aria-hidden="true">
          {fileBadge(file)}
        </span>
      )}
      <span class="attachment-name" title={file.name}>
        {file.name}
      </span>
      {file.size !== undefined && <span class="attachment-size">{formatBytes(file.size)}</span>}
      <button
        type="button"
        class="button subtle"
        disabled={busy}
        aria-label={`Download ${file.name}`}
        onClick={() => void onDownload()}
      >
        {busy ? 'Downloading…' : 'Download'}
      </button>
      {error && (
        <p class="attachment-error" role="alert">
          Couldn't download {file.name}: {asSentence(error.message)}
        </p>
      )}
      {preview.error && !error && <p class="attachment-error">No preview: {asSentence(preview.error.message)}</p>}
      {delivery && <p class={`attachment-delivery ${delivery.tone}`}>{delivery.text}</p>}
    </li>
  );
}

interface Preview {
  blob?: Blob;
  src?: string;
  error?: ApiError;
}

/** An image's bytes as an object URL for its thumbnail, fetched once per file and revoked when it leaves the page. */
function usePreview(url: string, wanted: boolean): Preview {
  const [preview, setPreview] = useState<Preview>({});
  useEffect(() => {
    if (!wanted) return;
    const controller = new AbortController();
    let src: string | undefined;
    download(url, { signal: controller.signal }).then(
      (blob) => {
        if (controller.signal.aborted) return;
        src = URL.createObjectURL(blob);
        setPreview({ blob, src });
      },
      (caught: unknown) => {
        if (!controller.signal.aborted) setPreview({ error: toApiError(caught) });
      },
    );
    return () => {
      controller.abort();
      if (src) URL.revokeObjectURL(src);
    };
  }, [url, wanted]);
  return preview;
}

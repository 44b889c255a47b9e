/**
 * A document row's actions: mark public (citations link to a download), re-index, replace the file (only changed
 * chunks are re-embedded), delete. The Public toggle shows only when the API's document carries `public`.
 */
import { useRef, useState } from 'preact/hooks';
import { ErrorBanner } from '../../components/feedback';
import { del, patch, post, sendFile } from '../../lib/http';
import { href } from '../../lib/router';
import { can } from '../../lib/session';
import { useAction } from '../../lib/use-action';
import { type KnowledgeDocument, knowledgePaths } from './api';
import { ACCEPT_HINT, uploadProblem } from './upload-check';

interface Props {
  collectionId: string;
  document: KnowledgeDocument;
  onChanged: (document: KnowledgeDocument) => void;
  onDeleted: (documentId: string) => void;
}

export function DocumentActions({ collectionId, document, onChanged, onDeleted }: Props) {
  const { error, busy, run } = useAction();
  const [replacing, setReplacing] = useState<number | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  // The Public box shows the admin's click at once; the saved document (or, on failure, the old value) replaces it.
  const [publicShown, setPublicShown] = useState<boolean | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  const path = knowledgePaths.document(collectionId, document.id);
  const editable = can('edit');

  async function replace(file: File) {
    const problem = uploadProblem(file);
    setRefused(problem);
    if (problem) return;
    setReplacing(0);
    await run(async () => {
      const next = await sendFile<KnowledgeDocument>(
        'PUT',
        knowledgePaths.file(collectionId, document.id, file.name),
        file,
        (sent, total) => setReplacing(total > 0 ? Math.floor((sent / total) * 100) : 0),
      );
      onChanged(next);
    });
    setReplacing(null);
  }

  return (
    <div class="document-actions">
      <a class="button subtle" href={href('knowledge', collectionId, 'documents', document.id)}>
        Chunks
      </a>
      {editable && 'public' in document && (
        <label class="checkbox small" title="Citations in the widget may link to a download of this file">
          <input
            type="checkbox"
            checked={publicShown ?? document.public}
            disabled={busy}
            onChange={(event) => {
              const value = (event.target as HTMLInputElement).checked;
              setPublicShown(value);
              void run(async () => onChanged(await patch<KnowledgeDocument>(path, { public: value }))).then(() =>
                setPublicShown(null),
              );
            }}
          />
          Public
        </label>
      )}
      {editable && (
        <>
          <button
            type="button"
            class="button subtle"
            disabled={busy}
            onClick={() =>
              void run(async () =>
                onChanged(await post<KnowledgeDocument>(knowledgePaths.reindex(collectionId, document.id))),
              )
            }
          >
            Re-index
          </button>
          {document.source === 'upload' && (
            <>
              <button type="button" class="button subtle" disabled={busy} onClick={() => picker.current?.click()}>
                {replacing === null ? 'Replace' : `Replacing… ${replacing} %`}
              </button>
              <input
                ref={picker}
                type="file"
                class="visually-hidden"
                tabIndex={-1}
                aria-label={`Replacement file for ${document.title}`}
                accept={ACCEPT_HINT}
                onChange={(event) => {
                  const input = event.target as HTMLInputElement;
                  const file = input.files?.[0];
                  input.value = '';
                  if (file) void replace(file);
                }}
              />
            </>
          )}
          <button
            type="button"
            class="button subtle danger-text"
            disabled={busy}
            onClick={() => {
              if (!confirm(`Delete "${document.title}", its file and its chunks?`)) return;
              void run(async () => {
                await del(path);
                onDeleted(document.id);
              });
            }}
          >
            Delete
          </button>
        </>
      )}
      {refused && (
        <div class="field-error small" role="alert">
          {refused}
        </div>
      )}
      {error && <ErrorBanner title={`Couldn't change "${document.title}"`} error={error} />}
    </div>
  );
}

/** Adding a document without a file: a page by its URL (fetched by the server), or pasted Markdown / text. */
import { useState } from 'preact/hooks';
import { ErrorBanner } from '../../components/feedback';
import { post } from '../../lib/http';
import { useAction } from '../../lib/use-action';
import { type KnowledgeDocument, knowledgePaths } from './api';

interface Props {
  collectionId: string;
  onAdded: (document: KnowledgeDocument) => void;
}

function AddByUrl({ collectionId, onAdded }: Props) {
  const { error, busy, run } = useAction();
  async function submit(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const title = String(data.get('title') ?? '').trim();
    const added = await run(async () =>
      onAdded(
        await post<KnowledgeDocument>(knowledgePaths.url(collectionId), {
          url: String(data.get('url') ?? '').trim(),
          ...(title && { title }),
        }),
      ),
    );
    if (added) form.reset();
  }
  return (
    <form class="inline-form" aria-label="Add by URL" onSubmit={submit}>
      <label class="grow">
        Page or file URL
        <input name="url" type="url" required maxLength={2000} placeholder="https://example.com/guide.html" />
      </label>
      <label>
        Title (optional)
        <input name="title" maxLength={200} />
      </label>
      <button type="submit" class="button" disabled={busy}>
        {busy ? 'Fetching…' : 'Add URL'}
      </button>
      {error && <ErrorBanner title="Couldn't add the URL" error={error} />}
    </form>
  );
}

function PasteText({ collectionId, onAdded }: Props) {
  const { error, busy, run } = useAction();
  async function submit(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const added = await run(async () =>
      onAdded(
        await post<KnowledgeDocument>(knowledgePaths.text(collectionId), {
          title: String(data.get('title') ?? ''),
          text: String(data.get('text') ?? ''),
          format: String(data.get('format') ?? 'markdown'),
        }),
      ),
    );
    if (added) form.reset();
  }
  return (
    <form class="form" aria-label="Paste text" onSubmit={submit}>
      <div class="grid-2">
        <label>
          Title
          <input name="title" required maxLength={200} placeholder="Opening hours" />
        </label>
        <label>
          Format
          <select name="format">
            <option value="markdown">Markdown (headings become chunk context)</option>
            <option value="txt">Plain text</option>
          </select>
        </label>
      </div>
      <label>
        Text
        <textarea name="text" required rows={6} placeholder={'# Opening hours\n\nWe are open 9–17 on weekdays.'} />
      </label>
      <div class="row">
        <button type="submit" class="button" disabled={busy}>
          {busy ? 'Adding…' : 'Add text'}
        </button>
      </div>
      {error && <ErrorBanner title="Couldn't add the text" error={error} />}
    </form>
  );
}

export function AddDocumentForms(props: Props) {
  const [open, setOpen] = useState<'url' | 'text' | null>(null);
  return (
    <section class="card add-documents" aria-label="Add without a file">
      <div class="row">
        <button
          type="button"
          class="button subtle"
          aria-expanded={open === 'url'}
          onClick={() => setOpen(open === 'url' ? null : 'url')}
        >
          Add by URL
        </button>
        <button
          type="button"
          class="button subtle"
          aria-expanded={open === 'text'}
          onClick={() => setOpen(open === 'text' ? null : 'text')}
        >
          Paste text
        </button>
      </div>
      {open === 'url' && <AddByUrl {...props} />}
      {open === 'text' && <PasteText {...props} />}
    </section>
  );
}

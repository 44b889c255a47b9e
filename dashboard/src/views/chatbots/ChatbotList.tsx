import { useState } from 'preact/hooks';
import { Empty, ErrorBanner, PageHeader } from '../../components/feedback';
import { type Column, PagedTable } from '../../components/paged-table';
import { formatRelative } from '../../lib/format';
import { type ApiError, post } from '../../lib/http';
import { toApiError } from '../../lib/resource';
import { href, navigate, route, setParams } from '../../lib/router';
import { can } from '../../lib/session';
import type { Chatbot, ChatbotSummary } from '../../lib/types';
import { useModule } from '../../lib/use-module';

// With its graph previews, in the pipeline editor's code: loaded only when asked for.
const loadTemplatePicker = () => import('../pipeline/TemplatePicker').then((m) => m.TemplatePicker);

function Templates(props: { value: string | null; onChange: (id: string | null) => void }) {
  const TemplatePicker = useModule(loadTemplatePicker);
  return TemplatePicker ? <TemplatePicker {...props} /> : <span class="muted">Loading templates…</span>;
}

function CreateChatbot() {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [picking, setPicking] = useState(false);
  const [templateId, setTemplateId] = useState<string | null>(null);
  async function submit(event: Event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      const bot = await post<Chatbot>('/api/v1/chatbots', {
        name: String(form.get('name')),
        description: String(form.get('description') ?? ''),
        ...(templateId && { templateId }),
      });
      navigate(templateId ? href('chatbots', bot.id, 'pipeline') : href('chatbots', bot.id));
    } catch (caught) {
      setError(toApiError(caught));
      setBusy(false);
    }
  }
  return (
    <form class="card inline-form" onSubmit={submit} aria-label="New chatbot">
      <label>
        Name
        <input name="name" required maxLength={200} placeholder="Support bot" />
      </label>
      <label class="grow">
        Description
        <input name="description" maxLength={2000} placeholder="What it is for (optional)" />
      </label>
      <button type="button" class="button subtle" aria-expanded={picking} onClick={() => setPicking(!picking)}>
        {templateId ? 'Template chosen' : 'Start from a template…'}
      </button>
      <button type="submit" class="button primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create chatbot'}
      </button>
      {picking && <Templates value={templateId} onChange={setTemplateId} />}
      {error && <ErrorBanner title="Couldn't create the chatbot" error={error} />}
    </form>
  );
}

const COLUMNS: readonly Column<ChatbotSummary>[] = [
  {
    header: 'Chatbot',
    cell: (bot) => (
      <>
        <a href={href('chatbots', bot.id)}>
          <strong>{bot.name}</strong>
        </a>
        <div class="muted small">
          <code>{bot.slug}</code>
        </div>
      </>
    ),
  },
  {
    header: 'Live model',
    cell: (bot) =>
      bot.provider ? (
        <>
          {bot.provider.displayName} <code class="small">{bot.model}</code>
          {bot.provider.offline && <span class="badge offline">Offline — no LLM</span>}
        </>
      ) : (
        <span class="muted">—</span>
      ),
  },
  {
    header: 'Live version',
    cell: (bot) => (bot.publishedVersion === null ? <span class="muted">Draft only</span> : `v${bot.publishedVersion}`),
  },
  { header: 'Updated', class: 'muted', cell: (bot) => formatRelative(bot.updatedAt) },
];

export function ChatbotList() {
  const archived = route.value.params.get('archived') === 'true';
  return (
    <>
      <PageHeader title="Chatbots">
        <label class="checkbox">
          <input
            type="checkbox"
            checked={archived}
            onChange={(event) => setParams({ archived: (event.target as HTMLInputElement).checked ? 'true' : null })}
          />
          Show archived
        </label>
      </PageHeader>
      {can('edit') && !archived && <CreateChatbot />}
      <section class="card">
        <PagedTable<ChatbotSummary>
          path={`/api/v1/chatbots?archived=${archived}`}
          what="chatbots"
          empty={
            <Empty title={archived ? 'No archived chatbots.' : 'No chatbots yet.'}>
              {!archived &&
                'Create one above: it starts on the offline provider, so you can try it without an API key.'}
            </Empty>
          }
          columns={COLUMNS}
          rowKey={(bot) => bot.id}
        />
      </section>
    </>
  );
}

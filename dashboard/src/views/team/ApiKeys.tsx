import { useState } from 'preact/hooks';
import type { ApiKey as ApiKeyResource } from '../../../../worker/api-keys/routes.ts';
import { CopyButton } from '../../components/CopyButton';
import { Empty, ErrorBanner, PageHeader } from '../../components/feedback';
import { type Column, PagedTable } from '../../components/paged-table';
import { formatRelative } from '../../lib/format';
import { type ApiError, del, post } from '../../lib/http';
import { toApiError } from '../../lib/resource';
import { can } from '../../lib/session';

/** An API key; only the create response carries the key itself. */
type ApiKey = ApiKeyResource & { key?: string };

const SCOPES = [
  ['read', 'Read chatbots, conversations and usage'],
  ['chat', 'Start conversations and send messages'],
  ['admin', 'Everything, including changing configuration'],
] as const;

/** The table's columns; `revoke` asks for confirmation and revokes a key. */
function columns(revoke: (key: ApiKey) => void): Column<ApiKey>[] {
  return [
    { header: 'Name', cell: (key) => key.name },
    { header: 'Key', cell: (key) => <code>{key.prefix}…</code> },
    { header: 'Scopes', cell: (key) => key.scopes.join(', ') },
    { header: 'Last used', class: 'muted', cell: (key) => (key.lastUsedAt ? formatRelative(key.lastUsedAt) : 'never') },
    {
      header: 'Actions',
      hiddenHeader: true,
      class: 'actions',
      cell: (key) =>
        key.revokedAt ? (
          <span class="badge revoked">revoked</span>
        ) : (
          <button type="button" class="button danger" onClick={() => revoke(key)}>
            Revoke
          </button>
        ),
    },
  ];
}

export function ApiKeys() {
  const [created, setCreated] = useState<ApiKey | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [generation, setGeneration] = useState(0);

  async function create(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    setError(null);
    try {
      setCreated(await post<ApiKey>('/api/v1/api-keys', { name: data.get('name'), scopes: data.getAll('scopes') }));
      form.reset();
      setGeneration((n) => n + 1);
    } catch (caught) {
      setError(toApiError(caught));
    }
  }

  function revoke(key: ApiKey) {
    if (!confirm(`Revoke ${key.name}? Programs using it stop working at once.`)) return;
    void del(`/api/v1/api-keys/${key.id}`).then(
      () => setGeneration((n) => n + 1),
      (e: unknown) => setError(toApiError(e)),
    );
  }

  return (
    <>
      <PageHeader title="API keys" />
      {created?.key && (
        <div class="banner notice" role="status">
          <div>
            <strong>Copy the new key now — it is shown only once.</strong>
            <div>
              <code class="secret">{created.key}</code> <CopyButton text={created.key} />
            </div>
          </div>
        </div>
      )}
      {can('manage') && (
        <form class="card form" onSubmit={create} aria-label="New API key">
          <div class="grid-2">
            <label>
              Name
              <input name="name" required maxLength={100} placeholder="CRM integration" />
            </label>
            <fieldset class="scopes">
              <legend>Scopes</legend>
              {SCOPES.map(([scope, description]) => (
                <label class="checkbox" key={scope}>
                  <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === 'read'} />
                  <code>{scope}</code> <span class="muted small">{description}</span>
                </label>
              ))}
            </fieldset>
          </div>
          {error && <ErrorBanner title="Couldn't create the key" error={error} />}
          <div>
            <button type="submit" class="button primary">
              Create key
            </button>
          </div>
        </form>
      )}
      <section class="card">
        <PagedTable<ApiKey>
          key={generation}
          path="/api/v1/api-keys"
          what="API keys"
          empty={<Empty title="No API keys.">Create one above for programs that use the REST API.</Empty>}
          columns={columns(revoke)}
          rowKey={(key) => key.id}
          rowClass={(key) => (key.revokedAt ? 'revoked' : '')}
        />
      </section>
    </>
  );
}

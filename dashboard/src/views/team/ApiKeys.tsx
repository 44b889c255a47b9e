import { useState } from 'preact/hooks';
import { CopyButton } from '../../components/CopyButton';
import { Empty, ErrorBanner, PageHeader } from '../../components/feedback';
import { PagedList } from '../../components/paged-list';
import { formatRelative } from '../../lib/format';
import { type ApiError, del, post } from '../../lib/http';
import { toApiError } from '../../lib/resource';

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** Only in the create response. */
  key?: string;
}

const SCOPES = [
  ['read', 'Read chatbots, conversations and usage'],
  ['chat', 'Start conversations and send messages'],
  ['admin', 'Everything, including changing configuration'],
] as const;

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
      <section class="card">
        <PagedList<ApiKey>
          key={generation}
          path="/api/v1/api-keys"
          what="API keys"
          empty={<Empty title="No API keys.">Create one above for programs that use the REST API.</Empty>}
        >
          {(items) => (
            <table class="table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Key</th>
                  <th>Scopes</th>
                  <th>Last used</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {items.map((key) => (
                  <tr key={key.id} class={key.revokedAt ? 'revoked' : ''}>
                    <td>{key.name}</td>
                    <td>
                      <code>{key.prefix}…</code>
                    </td>
                    <td>{key.scopes.join(', ')}</td>
                    <td class="muted">{key.lastUsedAt ? formatRelative(key.lastUsedAt) : 'never'}</td>
                    <td class="actions">
                      {key.revokedAt ? (
                        <span class="badge">revoked</span>
                      ) : (
                        <button
                          type="button"
                          class="button danger"
                          onClick={() =>
                            confirm(`Revoke ${key.name}? Programs using it stop working at once.`) &&
                            void del(`/api/v1/api-keys/${key.id}`).then(
                              () => setGeneration((n) => n + 1),
                              (e: unknown) => setError(toApiError(e)),
                            )
                          }
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </PagedList>
      </section>
    </>
  );
}

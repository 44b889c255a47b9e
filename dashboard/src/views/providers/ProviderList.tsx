import { useState } from 'preact/hooks';
import { Empty, ErrorBanner, Loading, Notice, PageHeader } from '../../components/feedback';
import { readSchemaFields, SchemaFields } from '../../components/SchemaForm';
import { formatRelative } from '../../lib/format';
import { type ApiError, del, get, post } from '../../lib/http';
import { toApiError, useResource } from '../../lib/resource';
import { can } from '../../lib/session';
import type { PluginInfo } from '../../lib/types';

interface Credential {
  id: string;
  providerId: string;
  name: string;
  settings: Record<string, unknown>;
  secretsSet: string[];
  createdAt: string;
  updatedAt: string;
}

function AddCredential({ provider, onSaved }: { provider: PluginInfo; onSaved: () => void }) {
  const [error, setError] = useState<ApiError | null>(null);
  async function submit(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    setError(null);
    try {
      await post('/api/v1/credentials', {
        providerId: provider.id,
        name: String(new FormData(form).get('name')),
        settings: readSchemaFields(form, provider.settingsSchema ?? {}),
      });
      form.reset();
      onSaved();
    } catch (caught) {
      setError(toApiError(caught));
    }
  }
  return (
    <form class="form nested" onSubmit={submit} aria-label={`Add ${provider.displayName} credentials`}>
      <label>
        Name
        <input name="name" required maxLength={100} placeholder={`${provider.displayName} production`} />
      </label>
      <SchemaFields schema={provider.settingsSchema ?? {}} />
      {error && <ErrorBanner title="Couldn't save the credentials" error={error} />}
      <div>
        <button type="submit" class="button primary">
          Save credentials
        </button>
      </div>
    </form>
  );
}

export function ProviderList() {
  const [state, reload] = useResource(
    (signal) =>
      Promise.all([
        get<{ data: PluginInfo[] }>('/api/v1/plugins', { signal }),
        get<{ data: Credential[] }>('/api/v1/credentials', { signal }),
      ]),
    [],
  );
  const [adding, setAdding] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  if (state.status === 'loading') return <Loading what="providers" />;
  if (state.status === 'error')
    return <ErrorBanner title="Couldn't load providers" error={state.error} onRetry={reload} />;
  const [plugins, credentials] = state.value;
  const providers = plugins.data.filter((p) => p.kind === 'provider');

  async function test(credential: Credential) {
    setError(null);
    setNotice(`Testing ${credential.name}…`);
    try {
      const result = await post<{ ok: boolean; message: string }>(`/api/v1/credentials/${credential.id}/test`);
      setNotice(`${credential.name}: ${result.message}`);
    } catch (caught) {
      setNotice(null);
      setError(toApiError(caught));
    }
  }

  return (
    <>
      <PageHeader title="Providers" />
      <p class="muted">
        Credentials are encrypted at rest and never shown again after you save them. Chatbots pick which credentials to
        use in their settings.
      </p>
      {notice && <Notice>{notice}</Notice>}
      {error && <ErrorBanner title="That didn't work" error={error} />}
      {providers.map((provider) => {
        const mine = credentials.data.filter((c) => c.providerId === provider.id);
        const offline = provider.capabilities?.offline === true;
        return (
          <section class="card" key={provider.id} aria-label={provider.displayName}>
            <div class="row">
              <h2 class="grow">{provider.displayName}</h2>
              {!offline && can('manage') && adding !== provider.id && (
                <button type="button" class="button" onClick={() => setAdding(provider.id)}>
                  Add credentials
                </button>
              )}
            </div>
            <p class="muted">{provider.description}</p>
            {offline && <p class="muted">Needs no credentials.</p>}
            {!offline && mine.length === 0 && adding !== provider.id && (
              <Empty title="No credentials yet.">Add an API key to use {provider.displayName} models.</Empty>
            )}
            {mine.length > 0 && (
              <ul class="list">
                {mine.map((credential) => (
                  <li class="item" key={credential.id}>
                    <div class="grow">
                      <strong>{credential.name}</strong>
                      <div class="muted small">
                        Secrets stored: {credential.secretsSet.join(', ') || 'none'} · updated{' '}
                        {formatRelative(credential.updatedAt)}
                      </div>
                    </div>
                    <button type="button" class="button subtle" onClick={() => void test(credential)}>
                      Test connection
                    </button>
                    {can('manage') && (
                      <button
                        type="button"
                        class="button danger"
                        onClick={() =>
                          confirm(`Delete ${credential.name}? Chatbots using it stop answering.`) &&
                          void del(`/api/v1/credentials/${credential.id}`).then(reload, (e: unknown) =>
                            setError(toApiError(e)),
                          )
                        }
                      >
                        Delete
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {adding === provider.id && (
              <AddCredential
                provider={provider}
                onSaved={() => {
                  setAdding(null);
                  reload();
                }}
              />
            )}
          </section>
        );
      })}
    </>
  );
}

import { useState } from 'preact/hooks';
import { Empty, ErrorBanner, Loading, PageHeader } from '../../components/feedback';
import { getAll } from '../../lib/get-all';
import { get } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { can } from '../../lib/session';
import type { PluginInfo } from '../../lib/types';
import { AddCredential } from './AddCredential';
import { type Credential, CredentialItem } from './CredentialItem';
import { ModelList, ModelsButton } from './ModelList';

/** A provider that needs no credentials (the offline one) still has models: they are listed without a credential. */
function KeylessModels({ provider }: { provider: PluginInfo }) {
  const [open, setOpen] = useState(false);
  const id = `models-${provider.id}`;
  return (
    <>
      <div class="row keyless">
        <p class="muted grow">Needs no credentials.</p>
        <ModelsButton expanded={open} controls={id} onToggle={() => setOpen(!open)} />
      </div>
      {open && <ModelList id={id} label={provider.displayName} providerId={provider.id} credentialId={null} />}
    </>
  );
}

export function ProviderList() {
  const [state, reload] = useResource(
    (signal) =>
      Promise.all([
        get<{ data: PluginInfo[] }>('/api/v1/plugins', { signal }),
        getAll<Credential>('/api/v1/credentials', { signal }),
      ]),
    [],
  );
  const [adding, setAdding] = useState<string | null>(null);
  if (state.status === 'loading') return <Loading what="providers" />;
  if (state.status === 'error')
    return <ErrorBanner title="Couldn't load providers" error={state.error} onRetry={reload} />;
  const [plugins, credentials] = state.value;
  const providers = plugins.data.filter((p) => p.kind === 'provider');

  return (
    <>
      <PageHeader title="Providers" />
      <p class="muted">
        Credentials are encrypted at rest and never shown again after you save them. Chatbots pick which credentials to
        use in their settings.
      </p>
      {providers.map((provider) => {
        const mine = credentials.filter((c) => c.providerId === provider.id);
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
            {offline && <KeylessModels provider={provider} />}
            {!offline && mine.length === 0 && adding !== provider.id && (
              <Empty title="No credentials yet.">Add an API key to use {provider.displayName} models.</Empty>
            )}
            {mine.length > 0 && (
              <ul class="list">
                {mine.map((credential) => (
                  <CredentialItem
                    key={credential.id}
                    credential={credential}
                    provider={provider}
                    onDeleted={reload}
                    onSaved={reload}
                  />
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

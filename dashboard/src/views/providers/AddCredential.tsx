/**
 * The form that stores a new credential for a provider, or edits one (PATCH: settings are merged, a secret left
 * empty keeps its stored value); its settings form comes from the plugin's JSON Schema.
 */
import { ErrorBanner } from '../../components/feedback';
import { readSchemaFields, SchemaFields } from '../../components/SchemaForm';
import { patch, post } from '../../lib/http';
import type { PluginInfo } from '../../lib/types';
import { useAction } from '../../lib/use-action';
import type { Credential } from './CredentialItem';

export function AddCredential({
  provider,
  credential,
  onSaved,
}: {
  provider: PluginInfo;
  credential?: Credential;
  onSaved: () => void;
}) {
  const { error, busy, run } = useAction();

  function submit(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    void run(async () => {
      const name = String(new FormData(form).get('name'));
      const settings = readSchemaFields(form, provider.settingsSchema ?? {});
      if (credential) await patch(`/api/v1/credentials/${credential.id}`, { name, settings });
      else {
        await post('/api/v1/credentials', { providerId: provider.id, name, settings });
        form.reset();
      }
      onSaved();
    });
  }

  return (
    <form
      class="form nested"
      onSubmit={submit}
      aria-label={credential ? `Edit ${credential.name}` : `Add ${provider.displayName} credentials`}
    >
      <label>
        Name
        <input
          name="name"
          required
          maxLength={100}
          value={credential?.name}
          placeholder={`${provider.displayName} production`}
        />
      </label>
      <SchemaFields
        schema={provider.settingsSchema ?? {}}
        values={credential?.settings}
        secretsSet={credential?.secretsSet}
      />
      {error && <ErrorBanner title="Couldn't save the credentials" error={error} />}
      <div>
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save credentials'}
        </button>
      </div>
    </form>
  );
}

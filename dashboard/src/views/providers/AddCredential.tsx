/** The form that stores a new credential for a provider; its settings form comes from the plugin's JSON Schema. */
import { ErrorBanner } from '../../components/feedback';
import { readSchemaFields, SchemaFields } from '../../components/SchemaForm';
import { post } from '../../lib/http';
import type { PluginInfo } from '../../lib/types';
import { useAction } from '../../lib/use-action';

export function AddCredential({ provider, onSaved }: { provider: PluginInfo; onSaved: () => void }) {
  const { error, busy, run } = useAction();

  function submit(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    void run(async () => {
      await post('/api/v1/credentials', {
        providerId: provider.id,
        name: String(new FormData(form).get('name')),
        settings: readSchemaFields(form, provider.settingsSchema ?? {}),
      });
      form.reset();
      onSaved();
    });
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
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save credentials'}
        </button>
      </div>
    </form>
  );
}

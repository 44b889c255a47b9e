import { useState } from 'preact/hooks';
import { ErrorBanner } from '../../components/feedback';
import { readSchemaFields, SchemaFields } from '../../components/SchemaForm';
import { type ApiError, patch, post } from '../../lib/http';
import { toApiError } from '../../lib/resource';
import type { Chatbot, PluginInfo } from '../../lib/types';
import type { Channel } from './ChannelList';

/** Add a channel (plugin + chatbot + generated settings form) or edit one (settings, name, polite replies). */
export function ChannelForm({
  channel,
  plugins,
  chatbots,
  onDone,
}: {
  channel: Channel | null;
  plugins: PluginInfo[];
  chatbots: Pick<Chatbot, 'id' | 'name'>[];
  onDone: (saved: Channel | null) => void;
}) {
  const [chosen, setPluginId] = useState(channel?.pluginId ?? '');
  // The plugin list may still be loading on the first render: default to its first entry once it is there.
  const pluginId = chosen || plugins[0]?.id || '';
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const plugin = plugins.find((p) => p.id === pluginId);

  async function submit(event: Event) {
    event.preventDefault();
    if (!plugin?.settingsSchema) return;
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const settings = readSchemaFields(form, plugin.settingsSchema);
    const options = {
      unsupportedReply: String(data.get('unsupportedReply') ?? '').trim() || undefined,
      voiceReplies: data.get('voiceReplies') === 'true',
    };
    setBusy(true);
    setError(null);
    try {
      const saved = channel
        ? await patch<Channel>(`/api/v1/channels/${channel.id}`, { name: data.get('name'), settings, options })
        : await post<Channel>('/api/v1/channels', {
            name: data.get('name'),
            chatbotId: data.get('chatbotId'),
            pluginId,
            settings,
            options,
          });
      onDone(saved);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card form" onSubmit={submit} aria-label={channel ? 'Edit channel' : 'Add channel'}>
      <h2>{channel ? `Edit ${channel.name}` : 'Add a channel'}</h2>
      <div class="grid-3">
        <label>
          Platform
          <select
            value={pluginId}
            disabled={!!channel}
            onChange={(e) => setPluginId((e.target as HTMLSelectElement).value)}
          >
            {plugins.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
              </option>
            ))}
          </select>
        </label>
        <label>
          Chatbot
          <select name="chatbotId" disabled={!!channel} value={channel?.chatbotId}>
            {chatbots.map((bot) => (
              <option key={bot.id} value={bot.id}>
                {bot.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name
          <input name="name" required maxLength={100} value={channel?.name ?? plugin?.displayName ?? ''} />
        </label>
      </div>
      {plugin && <p class="muted">{plugin.description}</p>}
      {plugin?.settingsSchema && (
        <SchemaFields
          key={pluginId}
          schema={plugin.settingsSchema}
          values={channel?.settings}
          secretsSet={channel?.secretsSet}
        />
      )}
      <label>
        Reply to messages the bot cannot read (stickers, unsupported files)
        <input name="unsupportedReply" maxLength={1000} value={String(channel?.options.unsupportedReply ?? '')} />
      </label>
      <label class="checkbox">
        <input type="checkbox" name="voiceReplies" value="true" checked={channel?.options.voiceReplies === true} />
        Answer voice notes with speech too
      </label>
      {error && <ErrorBanner title="Couldn't save the channel" error={error} />}
      <div class="row">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Saving…' : channel ? 'Save' : 'Add channel'}
        </button>
        <button type="button" class="button subtle" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

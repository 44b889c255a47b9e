import { useState } from 'preact/hooks';
import type { Channel as ApiChannel, ChannelWithSetup } from '../../../../worker/channels/api-schemas.ts';
import { CopyButton } from '../../components/CopyButton';
import { Empty, ErrorBanner, Notice, PageHeader } from '../../components/feedback';
import { type Column, PagedTable } from '../../components/paged-table';
import { formatRelative } from '../../lib/format';
import { getAll } from '../../lib/get-all';
import { del, get, patch, query } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { can } from '../../lib/session';
import type { Chatbot, ChatbotSummary, PluginInfo } from '../../lib/types';
import { useAction } from '../../lib/use-action';
import { ChannelForm } from './ChannelForm';

/** A channel; create and update answers add how its platform was set up. */
export type Channel = ApiChannel & { setup?: ChannelWithSetup['setup'] | null };

/** Channels of one chatbot (its Channels tab) or of the whole team (the Channels page). */
export function ChannelList({ chatbot, params }: { chatbot?: Chatbot; params: URLSearchParams }) {
  const chatbotId = chatbot?.id ?? params.get('chatbotId');
  // Bumped after every change so the list loads again from its first page.
  const [generation, setGeneration] = useState(0);
  const [plugins] = useResource((signal) => get<{ data: PluginInfo[] }>('/api/v1/plugins', { signal }), []);
  const [bots] = useResource((signal) => getAll<ChatbotSummary>('/api/v1/chatbots', { signal }), []);
  const { error, notice, run, setNotice } = useAction();
  const [editing, setEditing] = useState<Channel | 'new' | null>(null);
  const channelPlugins = plugins.status === 'ready' ? plugins.value.data.filter((p) => p.kind === 'channel') : [];
  const botList = chatbot ? [chatbot] : bots.status === 'ready' ? bots.value : [];
  const manage = can('manage');

  const reload = () => setGeneration((n) => n + 1);
  const act = (action: () => Promise<unknown>, done: string) => run(action, done).then((ok) => ok && reload());
  const columns: Column<Channel>[] = [
    {
      header: 'Channel',
      cell: (channel) => (
        <>
          <strong>{channel.name}</strong>
          <div class="muted small">{channel.pluginId}</div>
        </>
      ),
    },
    {
      header: 'Webhook URL',
      cell: (channel) => (
        <>
          <code class="small">{channel.webhookUrl}</code> <CopyButton text={channel.webhookUrl} />
        </>
      ),
    },
    {
      header: 'Status',
      cell: (channel) =>
        channel.enabled ? <span class="badge live">enabled</span> : <span class="badge">disabled</span>,
    },
    { header: 'Updated', class: 'muted', cell: (channel) => formatRelative(channel.updatedAt) },
    {
      header: 'Actions',
      hiddenHeader: true,
      class: 'actions',
      cell: (channel) =>
        manage && (
          <>
            <button type="button" class="button subtle" onClick={() => setEditing(channel)}>
              Edit
            </button>
            <button
              type="button"
              class="button subtle"
              onClick={() =>
                void act(
                  () => patch(`/api/v1/channels/${channel.id}`, { enabled: !channel.enabled }),
                  channel.enabled ? 'Disabled: webhooks are acknowledged and ignored.' : 'Enabled.',
                )
              }
            >
              {channel.enabled ? 'Disable' : 'Enable'}
            </button>
            <button
              type="button"
              class="button danger"
              onClick={() =>
                confirm(`Delete ${channel.name}? Its conversations are kept.`) &&
                void act(() => del(`/api/v1/channels/${channel.id}`), 'Deleted.')
              }
            >
              Delete
            </button>
          </>
        ),
    },
  ];

  return (
    <>
      {!chatbot && <PageHeader title="Channels" />}
      {error && <ErrorBanner title="That didn't work" error={error} />}
      {notice && <Notice>{notice}</Notice>}
      {editing && (
        <ChannelForm
          channel={editing === 'new' ? null : editing}
          plugins={channelPlugins}
          chatbots={botList}
          onDone={(saved) => {
            setEditing(null);
            if (saved) {
              setNotice(
                saved.setup
                  ? `Saved. ${saved.setup.ok ? '' : 'Platform setup failed: '}${saved.setup.message}`
                  : 'Saved.',
              );
              reload();
            }
          }}
        />
      )}
      <section class="card">
        <div class="row">
          <h2 class="grow">Messaging channels</h2>
          {manage && !editing && (
            <button type="button" class="button primary" onClick={() => setEditing('new')}>
              Add channel
            </button>
          )}
        </div>
        <PagedTable<Channel>
          key={generation}
          path={`/api/v1/channels${query({ chatbotId })}`}
          what="channels"
          empty={
            <Empty title="No channels yet.">
              Add Telegram, WhatsApp, Messenger, Slack or Twilio SMS: fill in the platform's settings, then paste the
              webhook URL into the platform's console (Telegram is registered for you).
            </Empty>
          }
          columns={columns}
          rowKey={(channel) => channel.id}
        />
      </section>
    </>
  );
}

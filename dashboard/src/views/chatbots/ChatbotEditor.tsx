import { ErrorBanner, Loading, PageHeader } from '../../components/feedback';
import { get } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import { can } from '../../lib/session';
import type { Chatbot, PluginInfo } from '../../lib/types';
import { useModule } from '../../lib/use-module';
import { ChannelList } from '../channels/ChannelList';
import { EventsTab } from '../events/EventsTab';
import { chatbotTabs } from './chatbot-tabs';
import { SettingsForm } from './SettingsForm';
import { TestChat } from './TestChat';
import { Versions } from './Versions';
import { WidgetForm } from './WidgetForm';

// The canvas editor is its own lazy chunk (≤ 80 KB gzip, scripts/size.ts): the other tabs never load it.
const loadPipelineEditor = () => import('../pipeline/PipelineEditor').then((m) => m.PipelineEditor);

function PipelineTab({ bot, onPublished }: { bot: Chatbot; onPublished: () => void }) {
  const PipelineEditor = useModule(loadPipelineEditor);
  return PipelineEditor ? <PipelineEditor bot={bot} onPublished={onPublished} /> : <Loading what="pipeline editor" />;
}

export function ChatbotEditor({ id, tab }: { id: string; tab: string }) {
  const [state, reload, replace] = useResource(
    (signal) =>
      Promise.all([
        get<Chatbot>(`/api/v1/chatbots/${encodeURIComponent(id)}`, { signal }),
        get<{ data: PluginInfo[] }>('/api/v1/plugins', { signal }),
      ]),
    [id],
  );
  if (state.status === 'loading') return <Loading what="chatbot" />;
  if (state.status === 'error')
    return <ErrorBanner title="Couldn't load the chatbot" error={state.error} onRetry={reload} />;
  const [bot, plugins] = state.value;
  const providers = plugins.data.filter((plugin) => plugin.kind === 'provider');
  const onSaved = (next: Chatbot) => replace([next, plugins]);
  return (
    <>
      <PageHeader title={bot.name}>
        <span class="muted">
          {bot.publishedVersion === null ? 'Not published yet' : `Live: v${bot.publishedVersion}`}
          {bot.archived && ' · archived'}
        </span>
      </PageHeader>
      <nav class="tabs" aria-label="Chatbot sections">
        {chatbotTabs(can('chat')).map(([key, label]) => (
          <a key={key} href={href('chatbots', bot.id, key)} aria-current={tab === key ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      {tab === 'settings' && <SettingsForm bot={bot} providers={providers} onSaved={onSaved} />}
      {tab === 'pipeline' && <PipelineTab bot={bot} onPublished={reload} />}
      {tab === 'widget' && <WidgetForm bot={bot} onSaved={onSaved} />}
      {tab === 'events' && <EventsTab bot={bot} />}
      {tab === 'versions' && <Versions bot={bot} onChanged={reload} />}
      {tab === 'test' && can('chat') && <TestChat bot={bot} />}
      {tab === 'channels' && <ChannelList chatbot={bot} params={new URLSearchParams()} />}
    </>
  );
}

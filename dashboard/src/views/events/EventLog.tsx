/**
 * `#/events`: what the chatbots' triggers did (GET /api/v1/events/log), newest first, one row per action of each
 * firing (a retried webhook has a row per attempt). Filters are query parameters of the location, as in every list.
 */
import type { EventLogView } from '../../../../worker/events/log-routes.ts';
import { FilterBar, type FilterField, filterValues } from '../../components/FilterBar';
import { Empty, PageHeader } from '../../components/feedback';
import { type Column, PagedTable } from '../../components/paged-table';
import { formatDateTime } from '../../lib/format';
import { getAll } from '../../lib/get-all';
import { query } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import type { ChatbotSummary } from '../../lib/types';
import { OUTCOME_LABELS, triggerTypeLabel } from './labels';

function filterFields(bots: readonly ChatbotSummary[]): FilterField[] {
  return [
    { name: 'chatbotId', label: 'Chatbot', anyLabel: 'All', options: bots.map((bot) => [bot.id, bot.name] as const) },
    {
      name: 'outcome',
      label: 'Outcome',
      anyLabel: 'Any',
      options: Object.entries(OUTCOME_LABELS),
    },
    { name: 'conversationId', label: 'Conversation id', placeholder: 'conv_…' },
  ];
}

export function OutcomeBadge({ outcome }: { outcome: EventLogView['outcome'] }) {
  return <span class={`badge outcome-${outcome}`}>{OUTCOME_LABELS[outcome]}</span>;
}

function columns(names: ReadonlyMap<string, string>): Column<EventLogView>[] {
  return [
    { header: 'When', class: 'muted', cell: (entry) => formatDateTime(entry.firedAt) },
    {
      header: 'Chatbot',
      cell: (entry) => (
        <a href={href('chatbots', entry.chatbotId, 'events')}>{names.get(entry.chatbotId) ?? entry.chatbotId}</a>
      ),
    },
    {
      header: 'Trigger',
      cell: (entry) => (
        <>
          <code>{entry.trigger.id}</code>
          <div class="muted small">{triggerTypeLabel(entry.trigger.type)}</div>
        </>
      ),
    },
    { header: 'Action', cell: (entry) => <code>{entry.action}</code> },
    { header: 'Outcome', cell: (entry) => <OutcomeBadge outcome={entry.outcome} /> },
    { header: 'Detail', cell: (entry) => entry.error ?? entry.detail ?? '—' },
    { header: 'Attempt', class: 'num', cell: (entry) => entry.attempt },
    {
      header: 'Conversation',
      cell: (entry) => (
        <a href={href('conversations', entry.conversationId)} aria-label={`Open conversation ${entry.conversationId}`}>
          Open
        </a>
      ),
    },
  ];
}

export function EventLog({ params }: { params: URLSearchParams }) {
  const [bots] = useResource((signal) => getAll<ChatbotSummary>('/api/v1/chatbots', { signal }), []);
  const botList = bots.status === 'ready' ? bots.value : [];
  const fields = filterFields(botList);
  return (
    <>
      <PageHeader title="Events" />
      <p class="muted">
        What the chatbots' triggers did: one row per action of each firing. Triggers are set on a chatbot's Events tab.
      </p>
      <FilterBar params={params} fields={fields} />
      <section class="card event-log" aria-label="Event log">
        <PagedTable<EventLogView>
          path={`/api/v1/events/log${query(filterValues(params, fields))}`}
          what="event log entries"
          empty={
            <Empty title="No trigger has fired for these filters.">
              Entries arrive a few seconds after a trigger fires.
            </Empty>
          }
          columns={columns(new Map(botList.map((bot) => [bot.id, bot.name])))}
          rowKey={(entry) => entry.id}
        />
      </section>
    </>
  );
}

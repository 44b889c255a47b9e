import { FilterBar, type FilterField, filterValues } from '../../components/FilterBar';
import { Empty, PageHeader } from '../../components/feedback';
import { type Column, PagedTable } from '../../components/paged-table';
import { formatNumber, formatRelative } from '../../lib/format';
import { getAll } from '../../lib/get-all';
import { query } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import type { ChatbotSummary, Conversation } from '../../lib/types';
import { Export } from './Export';

/** The conversation list's filters, in the order the form shows them; the chatbot choices come from the API. */
function filterFields(bots: ChatbotSummary[]): FilterField[] {
  return [
    { name: 'chatbotId', label: 'Chatbot', anyLabel: 'All', options: bots.map((bot) => [bot.id, bot.name] as const) },
    {
      name: 'status',
      label: 'Status',
      anyLabel: 'Any',
      options: [
        ['active', 'Active'],
        ['ended', 'Ended'],
      ],
    },
    {
      name: 'rating',
      label: 'Rating',
      anyLabel: 'Any',
      options: [
        ['up', '👍 rated up'],
        ['down', '👎 rated down'],
      ],
    },
    { name: 'tag', label: 'Tag', placeholder: 'escalated' },
    { name: 'participantId', label: 'Participant id' },
    { name: 'channelId', label: 'Channel id' },
    { name: 'from', label: 'From', type: 'date' },
    { name: 'to', label: 'To', type: 'date' },
  ];
}

/** The table's columns; `names` maps chatbot ids to names (an id shows as code until the names have loaded). */
function columns(names: ReadonlyMap<string, string>): Column<Conversation>[] {
  return [
    { header: 'Started', cell: (c) => <a href={href('conversations', c.id)}>{formatRelative(c.createdAt)}</a> },
    { header: 'Chatbot', cell: (c) => names.get(c.chatbotId) ?? <code>{c.chatbotId}</code> },
    { header: 'Messages', class: 'num', cell: (c) => formatNumber(c.messageCount) },
    {
      header: 'Tags',
      cell: (c) =>
        (c.tags ?? []).map((tag) => (
          <span class="chip" key={tag}>
            {tag}
          </span>
        )),
    },
    { header: 'Status', cell: (c) => c.status },
  ];
}

export function ConversationList({ params }: { params: URLSearchParams }) {
  const [bots] = useResource((signal) => getAll<ChatbotSummary>('/api/v1/chatbots', { signal }), []);
  const botList = bots.status === 'ready' ? bots.value : [];
  const names = new Map(botList.map((bot) => [bot.id, bot.name]));
  const fields = filterFields(botList);
  const path = `/api/v1/conversations${query(filterValues(params, fields))}`;
  return (
    <>
      <PageHeader title="Conversations">
        <Export path={path} />
      </PageHeader>
      <FilterBar params={params} fields={fields} />
      <section class="card">
        <PagedTable<Conversation>
          path={path}
          what="conversations"
          empty={
            <Empty title="No conversations match.">
              Conversations appear here as soon as someone talks to a chatbot — try the Test chat of a chatbot, or clear
              the filters.
            </Empty>
          }
          columns={columns(names)}
          rowKey={(c) => c.id}
        />
      </section>
    </>
  );
}

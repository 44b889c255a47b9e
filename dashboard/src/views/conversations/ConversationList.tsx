import { FilterBar, type FilterField, filterValues } from '../../components/FilterBar';
import { Empty, PageHeader } from '../../components/feedback';
import { PagedList } from '../../components/paged-list';
import { formatNumber, formatRelative } from '../../lib/format';
import { get, query } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import type { Chatbot, Conversation, Page } from '../../lib/types';
import { Export } from './Export';

/** The conversation list's filters, in the order the form shows them; the chatbot choices come from the API. */
function filterFields(bots: Chatbot[]): FilterField[] {
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

export function ConversationList({ params }: { params: URLSearchParams }) {
  const [bots] = useResource((signal) => get<Page<Chatbot>>('/api/v1/chatbots?limit=100', { signal }), []);
  const botList = bots.status === 'ready' ? bots.value.data : [];
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
        <PagedList<Conversation>
          path={path}
          what="conversations"
          empty={
            <Empty title="No conversations match.">
              Conversations appear here as soon as someone talks to a chatbot — try the Test chat of a chatbot, or clear
              the filters.
            </Empty>
          }
        >
          {(items) => (
            <table class="table">
              <thead>
                <tr>
                  <th>Started</th>
                  <th>Chatbot</th>
                  <th>Messages</th>
                  <th>Tags</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <a href={href('conversations', c.id)}>{formatRelative(c.createdAt)}</a>
                    </td>
                    <td>{names.get(c.chatbotId) ?? <code>{c.chatbotId}</code>}</td>
                    <td class="num">{formatNumber(c.messageCount)}</td>
                    <td>
                      {(c.tags ?? []).map((tag) => (
                        <span class="chip" key={tag}>
                          {tag}
                        </span>
                      ))}
                    </td>
                    <td>{c.status}</td>
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

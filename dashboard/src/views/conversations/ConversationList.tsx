import { Empty, PageHeader } from '../../components/feedback';
import { PagedList } from '../../components/paged-list';
import { formatNumber, formatRelative } from '../../lib/format';
import { get, query } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { href, setParams } from '../../lib/router';
import type { Chatbot, Conversation, Page } from '../../lib/types';
import { Export } from './Export';

const FILTERS = ['chatbotId', 'channelId', 'participantId', 'tag', 'rating', 'status', 'from', 'to'] as const;

function Filters({ params, bots }: { params: URLSearchParams; bots: Chatbot[] }) {
  const field = (name: string) => (event: Event) =>
    setParams({ [name]: (event.target as HTMLInputElement | HTMLSelectElement).value || null });
  return (
    <form class="card filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        Chatbot
        <select value={params.get('chatbotId') ?? ''} onChange={field('chatbotId')}>
          <option value="">All</option>
          {bots.map((bot) => (
            <option key={bot.id} value={bot.id}>
              {bot.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Status
        <select value={params.get('status') ?? ''} onChange={field('status')}>
          <option value="">Any</option>
          <option value="active">Active</option>
          <option value="ended">Ended</option>
        </select>
      </label>
      <label>
        Rating
        <select value={params.get('rating') ?? ''} onChange={field('rating')}>
          <option value="">Any</option>
          <option value="up">👍 rated up</option>
          <option value="down">👎 rated down</option>
        </select>
      </label>
      <label>
        Tag
        <input value={params.get('tag') ?? ''} onChange={field('tag')} placeholder="escalated" />
      </label>
      <label>
        Participant id
        <input value={params.get('participantId') ?? ''} onChange={field('participantId')} />
      </label>
      <label>
        Channel id
        <input value={params.get('channelId') ?? ''} onChange={field('channelId')} />
      </label>
      <label>
        From
        <input type="date" value={params.get('from') ?? ''} onChange={field('from')} />
      </label>
      <label>
        To
        <input type="date" value={params.get('to') ?? ''} onChange={field('to')} />
      </label>
    </form>
  );
}

export function ConversationList({ params }: { params: URLSearchParams }) {
  const [bots] = useResource((signal) => get<Page<Chatbot>>('/api/v1/chatbots?limit=100', { signal }), []);
  const botList = bots.status === 'ready' ? bots.value.data : [];
  const names = new Map(botList.map((bot) => [bot.id, bot.name]));
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name)]));
  const path = `/api/v1/conversations${query(filters)}`;
  return (
    <>
      <PageHeader title="Conversations">
        <Export path={path} />
      </PageHeader>
      <Filters params={params} bots={botList} />
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

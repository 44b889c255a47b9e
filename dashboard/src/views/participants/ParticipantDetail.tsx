import { ErrorBanner, Loading, PageHeader } from '../../components/feedback';
import { PagedList } from '../../components/paged-list';
import { formatDateTime, formatRelative } from '../../lib/format';
import { get } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { href } from '../../lib/router';
import type { Conversation } from '../../lib/types';
import { ParticipantData } from './ParticipantData';
import type { Participant } from './ParticipantList';
import { ParticipantSchedules } from './ParticipantSchedules';

export function ParticipantDetail({ id }: { id: string }) {
  const [state, reload] = useResource((signal) => get<Participant>(`/api/v1/participants/${id}`, { signal }), [id]);
  if (state.status === 'loading') return <Loading what="participant" />;
  if (state.status === 'error')
    return <ErrorBanner title="Couldn't load the participant" error={state.error} onRetry={reload} />;
  const p = state.value;
  return (
    <>
      <PageHeader title={p.name || p.externalId} />
      <section class="card">
        <dl class="facts">
          <div>
            <dt>Platform</dt>
            <dd>{p.platform}</dd>
          </div>
          <div>
            <dt>Their id</dt>
            <dd>
              <code>{p.externalId}</code>
            </dd>
          </div>
          <div>
            <dt>First seen</dt>
            <dd>{formatDateTime(p.createdAt)}</dd>
          </div>
        </dl>
        <h2>Profile data</h2>
        <p class="muted small">Sent by your integration, shared by every chatbot.</p>
        <pre class="json">{JSON.stringify(p.data ?? {}, null, 2)}</pre>
      </section>
      <ParticipantData participantId={id} />
      <ParticipantSchedules participantId={id} profile={p.data} />
      <section class="card">
        <h2>Conversations</h2>
        <PagedList<Conversation>
          path={`/api/v1/participants/${id}/conversations`}
          what="conversations"
          empty={<p class="muted">No conversations.</p>}
        >
          {(items) => (
            <ul class="list">
              {items.map((c) => (
                <li key={c.id} class="item">
                  <a href={href('conversations', c.id)}>{formatRelative(c.createdAt)}</a>
                  <span class="muted">
                    {c.messageCount} messages · {c.status}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </PagedList>
      </section>
    </>
  );
}

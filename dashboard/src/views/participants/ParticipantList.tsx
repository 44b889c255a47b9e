import { Empty, PageHeader } from '../../components/feedback';
import { PagedList } from '../../components/paged-list';
import { formatRelative } from '../../lib/format';
import { query } from '../../lib/http';
import { href, setParams } from '../../lib/router';

export interface Participant {
  id: string;
  platform: string;
  externalId: string;
  name: string | null;
  data?: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export function ParticipantList({ params }: { params: URLSearchParams }) {
  const platform = params.get('platform');
  return (
    <>
      <PageHeader title="Participants">
        <label>
          Platform{' '}
          <select
            value={platform ?? ''}
            onChange={(e) => setParams({ platform: (e.target as HTMLSelectElement).value || null })}
          >
            <option value="">All</option>
            {['widget', 'api', 'telegram', 'whatsapp', 'messenger', 'slack', 'twilio'].map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
      </PageHeader>
      <section class="card">
        <PagedList<Participant>
          path={`/api/v1/participants${query({ platform })}`}
          what="participants"
          empty={
            <Empty title="No participants yet.">
              People appear here when they talk to a chatbot through the widget, a channel or the API.
            </Empty>
          }
        >
          {(items) => (
            <table class="table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Platform</th>
                  <th>Their id</th>
                  <th>Last seen</th>
                </tr>
              </thead>
              <tbody>
                {items.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <a href={href('participants', p.id)}>{p.name || <span class="muted">Unnamed</span>}</a>
                    </td>
                    <td>{p.platform}</td>
                    <td>
                      <code>{p.externalId}</code>
                    </td>
                    <td class="muted">{formatRelative(p.updatedAt)}</td>
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

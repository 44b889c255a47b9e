import type { Participant as ParticipantDetail, ParticipantSummary } from '../../../../worker/participants/routes.ts';
import { Empty, PageHeader } from '../../components/feedback';
import { type Column, PagedTable } from '../../components/paged-table';
import { formatRelative } from '../../lib/format';
import { query } from '../../lib/http';
import { href, setParams } from '../../lib/router';

/** A participant as the list has it; the detail adds its data. */
export type Participant = ParticipantSummary & Partial<Pick<ParticipantDetail, 'data'>>;

const COLUMNS: readonly Column<Participant>[] = [
  {
    header: 'Name',
    cell: (p) => <a href={href('participants', p.id)}>{p.name || <span class="muted">Unnamed</span>}</a>,
  },
  { header: 'Platform', cell: (p) => p.platform },
  { header: 'Their id', cell: (p) => <code>{p.externalId}</code> },
  { header: 'Last seen', class: 'muted', cell: (p) => formatRelative(p.updatedAt) },
];

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
        <PagedTable<Participant>
          path={`/api/v1/participants${query({ platform })}`}
          what="participants"
          empty={
            <Empty title="No participants yet.">
              People appear here when they talk to a chatbot through the widget, a channel or the API.
            </Empty>
          }
          columns={COLUMNS}
          rowKey={(p) => p.id}
        />
      </section>
    </>
  );
}

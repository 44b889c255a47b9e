import type { AuditEntry as ApiAuditEntry } from '../../../../worker/audit/routes.ts';
import { FilterBar, type FilterField, filterValues } from '../../components/FilterBar';
import { Empty, PageHeader } from '../../components/feedback';
import { type Column, PagedTable } from '../../components/paged-table';
import { formatDateTime } from '../../lib/format';
import { query } from '../../lib/http';

type AuditEntry = ApiAuditEntry;

/** `name: a → b` for each field the request set (values are short and secrets already redacted server-side). */
function summarize(changes: AuditEntry['changes']): string {
  if (!changes) return '—';
  const show = (value: unknown) => (value === undefined ? '∅' : JSON.stringify(value));
  return Object.entries(changes)
    .map(([field, change]) => `${field}: ${show(change.before)} → ${show(change.after)}`)
    .join('; ');
}

const FILTERS: readonly FilterField[] = [
  { name: 'action', label: 'Action', placeholder: 'chatbot.update' },
  { name: 'actorId', label: 'Actor id' },
  { name: 'targetId', label: 'Target id' },
  { name: 'from', label: 'From', type: 'date' },
  { name: 'to', label: 'To', type: 'date' },
];

const COLUMNS: readonly Column<AuditEntry>[] = [
  { header: 'When', class: 'muted', cell: (entry) => formatDateTime(entry.at) },
  {
    header: 'Who',
    cell: (entry) => (
      <>
        {entry.actor.label}
        <div class="muted small">{entry.actor.type === 'api_key' ? 'API key' : 'person'}</div>
      </>
    ),
  },
  {
    header: 'What',
    cell: (entry) => (
      <>
        <code>{entry.action}</code>
        {entry.target.id && <div class="muted small">{entry.target.id}</div>}
      </>
    ),
  },
  { header: 'Change', cell: (entry) => summarize(entry.changes) },
  { header: 'IP', class: 'muted', cell: (entry) => entry.ip ?? '—' },
];

export function AuditLog({ params }: { params: URLSearchParams }) {
  return (
    <>
      <PageHeader title="Audit log" />
      <FilterBar params={params} fields={FILTERS} />
      <section class="card">
        <PagedTable<AuditEntry>
          path={`/api/v1/audit-log${query(filterValues(params, FILTERS))}`}
          what="audit entries"
          empty={<Empty title="Nothing recorded for these filters." />}
          columns={COLUMNS}
          rowKey={(entry) => entry.id}
        />
      </section>
    </>
  );
}

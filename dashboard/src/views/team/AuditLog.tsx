import { FilterBar, type FilterField, filterValues } from '../../components/FilterBar';
import { Empty, PageHeader } from '../../components/feedback';
import { PagedList } from '../../components/paged-list';
import { formatDateTime } from '../../lib/format';
import { query } from '../../lib/http';

interface AuditEntry {
  id: string;
  actor: { type: 'user' | 'api_key'; id: string; label: string };
  action: string;
  target: { type: string | null; id: string | null };
  route: string;
  status: number;
  changes: Record<string, { before?: unknown; after?: unknown }> | null;
  ip: string | null;
  at: string;
}

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

export function AuditLog({ params }: { params: URLSearchParams }) {
  return (
    <>
      <PageHeader title="Audit log" />
      <FilterBar params={params} fields={FILTERS} />
      <section class="card">
        <PagedList<AuditEntry>
          path={`/api/v1/audit-log${query(filterValues(params, FILTERS))}`}
          what="audit entries"
          empty={<Empty title="Nothing recorded for these filters." />}
        >
          {(items) => (
            <table class="table">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Who</th>
                  <th>What</th>
                  <th>Change</th>
                  <th>IP</th>
                </tr>
              </thead>
              <tbody>
                {items.map((entry) => (
                  <tr key={entry.id}>
                    <td class="muted">{formatDateTime(entry.at)}</td>
                    <td>
                      {entry.actor.label}
                      <div class="muted small">{entry.actor.type === 'api_key' ? 'API key' : 'person'}</div>
                    </td>
                    <td>
                      <code>{entry.action}</code>
                      {entry.target.id && <div class="muted small">{entry.target.id}</div>}
                    </td>
                    <td>{summarize(entry.changes)}</td>
                    <td class="muted">{entry.ip ?? '—'}</td>
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

import { Empty, PageHeader } from '../../components/feedback';
import { PagedList } from '../../components/paged-list';
import { formatDateTime } from '../../lib/format';
import { query } from '../../lib/http';
import { setParams } from '../../lib/router';

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

const FILTERS = ['action', 'actorId', 'targetId', 'from', 'to'] as const;

export function AuditLog({ params }: { params: URLSearchParams }) {
  const field = (name: string) => (event: Event) =>
    setParams({ [name]: (event.target as HTMLInputElement).value || null });
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name)]));
  return (
    <>
      <PageHeader title="Audit log" />
      <form class="card filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Action
          <input value={params.get('action') ?? ''} onChange={field('action')} placeholder="chatbot.update" />
        </label>
        <label>
          Actor id
          <input value={params.get('actorId') ?? ''} onChange={field('actorId')} />
        </label>
        <label>
          Target id
          <input value={params.get('targetId') ?? ''} onChange={field('targetId')} />
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
      <section class="card">
        <PagedList<AuditEntry>
          path={`/api/v1/audit-log${query(filters)}`}
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

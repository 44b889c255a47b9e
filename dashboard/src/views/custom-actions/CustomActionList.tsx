import { useState } from 'preact/hooks';
import { Empty, ErrorBanner, Loading, Notice, PageHeader } from '../../components/feedback';
import { formatRelative } from '../../lib/format';
import { del, get, post } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { can } from '../../lib/session';
import { useAction } from '../../lib/use-action';
import { describeAuth } from './AuthFields';
import { type Action, actionPaths } from './api';
import { CustomActionForm } from './CustomActionForm';

function HealthBadge({ health }: { health: Action['health'] }) {
  if (!health) return <span class="badge">no check</span>;
  const label = { ok: 'healthy', failing: 'failing', unknown: 'not checked yet' }[health.status];
  const tone = { ok: 'live', failing: 'error', unknown: '' }[health.status];
  return (
    <span title={health.message ?? undefined}>
      <span class={`badge ${tone}`}>{label}</span>
      {health.checkedAt && <div class="muted small">{formatRelative(health.checkedAt)}</div>}
      {health.status === 'failing' && health.message && <div class="muted small">{health.message}</div>}
    </span>
  );
}

/** The team's custom actions: OpenAPI operations its chatbots can call as tools (docs/custom-actions.md). */
export function CustomActionList() {
  const [list, reload, replace] = useResource((signal) => get<{ data: Action[] }>(actionPaths.list, { signal }), []);
  const { error, notice, run, setNotice } = useAction();
  const [editing, setEditing] = useState<Action | 'new' | null>(null);
  const manage = can('manage');
  const act = (action: () => Promise<unknown>, done: string) => run(action, done).then((ok) => ok && reload());

  const checkNow = (action: Action) =>
    run(async () => {
      const checked = await post<Action>(actionPaths.check(action.id));
      if (list.status === 'ready') {
        replace({ data: list.value.data.map((a) => (a.id === checked.id ? checked : a)) });
      }
    }, `Checked ${action.name}.`);

  return (
    <>
      <PageHeader title="Custom actions" />
      {error && <ErrorBanner title="That didn't work" error={error} />}
      {notice && <Notice>{notice}</Notice>}
      {editing && (
        <CustomActionForm
          key={editing === 'new' ? 'new' : editing.id}
          action={editing === 'new' ? null : editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) {
              setNotice(`Saved ${saved.name}.`);
              reload();
            }
          }}
        />
      )}
      <section class="card">
        <div class="row">
          <h2 class="grow">Actions from OpenAPI specs</h2>
          {manage && !editing && (
            <button type="button" class="button primary" onClick={() => setEditing('new')}>
              Add custom action
            </button>
          )}
        </div>
        {list.status === 'loading' && <Loading what="custom actions" />}
        {list.status === 'error' && (
          <ErrorBanner title="Couldn't load the actions" error={list.error} onRetry={reload} />
        )}
        {list.status === 'ready' && list.value.data.length === 0 && (
          <Empty title="No custom actions yet.">
            Add an OpenAPI 3.0 or 3.1 spec, pick its operations and how calls authenticate: each operation becomes a
            tool your chatbots can call.
          </Empty>
        )}
        {list.status === 'ready' && list.value.data.length > 0 && (
          <div class="table-scroll">
            <table class="table custom-actions">
              <thead>
                <tr>
                  <th>Action</th>
                  <th>Operations</th>
                  <th>Auth</th>
                  <th>Health</th>
                  <th>Updated</th>
                  <th>
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.value.data.map((action) => (
                  <tr key={action.id} aria-label={action.name}>
                    <td>
                      <strong>{action.name}</strong>
                      <div class="muted small">
                        {action.title} {action.version} · <code>{action.baseUrl}</code>
                      </div>
                    </td>
                    <td>
                      {action.operations.filter((op) => op.selected).length} of {action.operations.length}
                      <div class="muted small">
                        {action.operations
                          .filter((op) => op.selected)
                          .map((op) => op.toolName)
                          .join(', ')}
                      </div>
                    </td>
                    <td>
                      {describeAuth(action.auth)}
                      {action.auth.kind !== 'none' && (
                        <>
                          {' '}
                          <span class="badge live">configured</span>
                        </>
                      )}
                    </td>
                    <td>
                      <HealthBadge health={action.health} />
                    </td>
                    <td class="muted">{formatRelative(action.updatedAt)}</td>
                    <td class="actions">
                      {manage && (
                        <>
                          <button type="button" class="button subtle" onClick={() => setEditing(action)}>
                            Edit
                          </button>
                          {action.health && (
                            <button type="button" class="button subtle" onClick={() => void checkNow(action)}>
                              Check now
                            </button>
                          )}
                          <button
                            type="button"
                            class="button danger"
                            onClick={() =>
                              confirm(`Delete ${action.name}? Chatbots using it lose these tools.`) &&
                              void act(() => del(actionPaths.one(action.id)), `Deleted ${action.name}.`)
                            }
                          >
                            Delete
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

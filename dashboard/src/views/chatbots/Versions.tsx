import { useState } from 'preact/hooks';
import { ErrorBanner, Loading, Notice } from '../../components/feedback';
import { diffLines } from '../../lib/diff';
import { formatDateTime } from '../../lib/format';
import { get, post } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { can } from '../../lib/session';
import type { Chatbot, Page, Version } from '../../lib/types';
import { useAction } from '../../lib/use-action';

function Diff({ bot, from, to }: { bot: Chatbot; from: number; to: number }) {
  const [state] = useResource(
    (signal) =>
      Promise.all([from, to].map((n) => get<Version>(`/api/v1/chatbots/${bot.id}/versions/${n}`, { signal }))),
    [bot.id, from, to],
  );
  if (state.status === 'loading') return <Loading what="versions" />;
  if (state.status === 'error') return <ErrorBanner title="Couldn't compare" error={state.error} />;
  const [a, b] = state.value.map((v) => JSON.stringify(v.definition, null, 2));
  const lines = diffLines(a ?? '', b ?? '');
  const changed = lines.some((line) => line.kind !== 'same');
  return (
    <pre class="diff" title={`Changes from v${from} to v${to}`}>
      {changed
        ? lines.map((line, index) => (
            <div key={index} class={line.kind}>
              {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
              {line.text}
            </div>
          ))
        : 'No differences.'}
    </pre>
  );
}

export function Versions({ bot, onChanged }: { bot: Chatbot; onChanged: () => void }) {
  const [state, reload] = useResource(
    (signal) => get<Page<Version>>(`/api/v1/chatbots/${bot.id}/versions`, { signal }),
    [bot.id, bot.publishedVersion],
  );
  const [compare, setCompare] = useState<[number, number] | null>(null);
  const { error, notice, run } = useAction();
  const edit = can('edit');

  const act = (action: () => Promise<unknown>, done: string) =>
    run(action, done).then((ok) => {
      if (!ok) return;
      onChanged();
      reload();
    });

  function publish(event: Event) {
    event.preventDefault();
    const note = String(new FormData(event.currentTarget as HTMLFormElement).get('note'));
    void act(() => post(`/api/v1/chatbots/${bot.id}/versions`, { note }), 'Published: new conversations use it now.');
  }

  return (
    <>
      {edit && (
        <form class="card inline-form" onSubmit={publish} aria-label="Publish">
          <label class="grow">
            Publish the draft with a note
            <input name="note" maxLength={1000} placeholder="What changed (shown in the version list)" />
          </label>
          <button type="submit" class="button primary">
            Publish
          </button>
        </form>
      )}
      {error && <ErrorBanner title="That didn't work" error={error} />}
      {notice && <Notice>{notice}</Notice>}
      <section class="card">
        <h2>Versions</h2>
        {state.status === 'loading' && <Loading what="versions" />}
        {state.status === 'error' && (
          <ErrorBanner title="Couldn't load versions" error={state.error} onRetry={reload} />
        )}
        {state.status === 'ready' &&
          (state.value.data.length === 0 ? (
            <p class="muted">Nothing published yet: the widget and channels use the latest published version.</p>
          ) : (
            <div class="table-scroll">
              <table class="table">
                <thead>
                  <tr>
                    <th>Version</th>
                    <th>Note</th>
                    <th>Published</th>
                    <th>
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {state.value.data.map((v) => (
                    <tr key={v.id}>
                      <td>
                        v{v.number} {v.number === bot.publishedVersion && <span class="badge live">live</span>}
                      </td>
                      <td>{v.note || <span class="muted">—</span>}</td>
                      <td class="muted">{formatDateTime(v.createdAt)}</td>
                      <td class="actions">
                        <button type="button" class="button subtle" onClick={() => setCompare([v.number, 0])}>
                          Compare with draft
                        </button>
                        {v.number > 1 && (
                          <button
                            type="button"
                            class="button subtle"
                            onClick={() => setCompare([v.number - 1, v.number])}
                          >
                            Changes
                          </button>
                        )}
                        {edit && (
                          <button
                            type="button"
                            class="button subtle"
                            onClick={() =>
                              void act(
                                () => post(`/api/v1/chatbots/${bot.id}/versions/${v.number}/restore`),
                                `v${v.number} copied into the draft. Publish it to roll back.`,
                              )
                            }
                          >
                            Restore to draft
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
      </section>
      {compare && (
        <section class="card">
          <h2>
            v{compare[0]} → {compare[1] === 0 ? 'draft' : `v${compare[1]}`}
          </h2>
          <Diff bot={bot} from={compare[0]} to={compare[1]} />
        </section>
      )}
      {can('manage') && (
        <section class="card">
          <h2>{bot.archived ? 'Archived' : 'Archive'}</h2>
          <p class="muted">
            Archiving hides the chatbot and stops new conversations. Nothing is deleted; you can bring it back.
          </p>
          <button
            type="button"
            class={`button ${bot.archived ? '' : 'danger'}`}
            onClick={() =>
              void act(
                () => post(`/api/v1/chatbots/${bot.id}/${bot.archived ? 'unarchive' : 'archive'}`),
                bot.archived ? 'Brought back.' : 'Archived.',
              )
            }
          >
            {bot.archived ? 'Unarchive' : 'Archive chatbot'}
          </button>
        </section>
      )}
    </>
  );
}

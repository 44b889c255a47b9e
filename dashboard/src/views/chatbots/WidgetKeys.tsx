import { useState } from 'preact/hooks';
import type { WidgetKey as ApiWidgetKey, CreatedWidgetKey } from '../../../../worker/widget/key-routes.ts';
import { CopyButton } from '../../components/CopyButton';
import { Empty, ErrorBanner, Loading } from '../../components/feedback';
import { getAll } from '../../lib/get-all';
import { del, patch, post } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { can } from '../../lib/session';
import type { Chatbot } from '../../lib/types';
import { useAction } from '../../lib/use-action';

/** A widget key; only the create response carries the HMAC secret for identify(). */
type WidgetKey = ApiWidgetKey & { identitySecret?: CreatedWidgetKey['identitySecret'] };

const origins = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((o) => o.trim())
    .filter(Boolean);

function snippet(key: string): string {
  return `<script src="${location.origin}/widget.js" data-key="${key}" async></script>`;
}

export function WidgetKeys({ bot }: { bot: Chatbot }) {
  const [state, reload] = useResource(
    (signal) => getAll<WidgetKey>(`/api/v1/chatbots/${bot.id}/widget-keys`, { signal }),
    [bot.id],
  );
  const [created, setCreated] = useState<WidgetKey | null>(null);
  const { error, run } = useAction();
  const manage = can('manage');

  const act = (action: () => Promise<unknown>) => run(action).then((ok) => ok && reload());

  function create(event: Event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    void act(async () =>
      setCreated(
        await post<WidgetKey>(`/api/v1/chatbots/${bot.id}/widget-keys`, {
          allowedOrigins: origins(String(form.get('origins'))),
        }),
      ),
    );
  }

  return (
    <section class="card">
      <h2>Embed on a website</h2>
      <p class="muted">
        A widget key works only on the origins you list; the conversation token it gets is short-lived and bound to that
        origin.
      </p>
      {created?.identitySecret && (
        <div class="banner notice">
          <strong>Identity secret — shown once.</strong> Sign user ids with HMAC-SHA256 on your server for{' '}
          <code>Parley.identify()</code>: <code class="secret">{created.identitySecret}</code>{' '}
          <CopyButton text={created.identitySecret} />
        </div>
      )}
      {error && <ErrorBanner title="Couldn't change widget keys" error={error} />}
      {state.status === 'loading' && <Loading what="widget keys" />}
      {state.status === 'error' && (
        <ErrorBanner title="Couldn't load widget keys" error={state.error} onRetry={reload} />
      )}
      {state.status === 'ready' && state.value.length === 0 && (
        <Empty title="No widget key yet.">Add one with the origins of the sites that will embed this chatbot.</Empty>
      )}
      {state.status === 'ready' &&
        state.value.map((key) => (
          <div class={`widget-key ${key.revokedAt ? 'revoked' : ''}`} key={key.id}>
            <pre class="snippet">{snippet(key.key)}</pre>
            <div class="row">
              {!key.revokedAt && <CopyButton text={snippet(key.key)} label="Copy snippet" />}
              <span class="muted small">Origins: {key.allowedOrigins.join(', ') || 'none'}</span>
              {key.revokedAt && <span class="badge revoked">Revoked</span>}
              {manage && !key.revokedAt && (
                <>
                  <button
                    type="button"
                    class="button subtle"
                    onClick={() => {
                      const next = prompt('Allowed origins (comma separated)', key.allowedOrigins.join(', '));
                      if (next !== null)
                        void act(() => patch(`/api/v1/widget-keys/${key.id}`, { allowedOrigins: origins(next) }));
                    }}
                  >
                    Edit origins
                  </button>
                  <button
                    type="button"
                    class="button danger"
                    onClick={() =>
                      confirm('Revoke this key? Sites using it stop working.') &&
                      void act(() => del(`/api/v1/widget-keys/${key.id}`))
                    }
                  >
                    Revoke
                  </button>
                </>
              )}
            </div>
          </div>
        ))}
      {manage && (
        <form class="inline-form" onSubmit={create}>
          <label class="grow">
            Allowed origins
            <input name="origins" required placeholder="https://www.example.com, https://shop.example.com" />
          </label>
          <button type="submit" class="button">
            Add widget key
          </button>
        </form>
      )}
    </section>
  );
}

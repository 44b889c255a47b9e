/**
 * The models a provider offers with one of the team's credentials (none for the offline provider), from
 * `GET /api/v1/providers/{providerId}/models`: the "model list", shown under the credential it was asked with.
 */

import type { ProviderModel } from '../../../../worker/plugin-catalog/providers.ts';
import { Empty, ErrorBanner, Loading } from '../../components/feedback';
import { formatNumber } from '../../lib/format';
import { get, query } from '../../lib/http';
import { useResource } from '../../lib/resource';

/** One model as the API describes it (the `Model` schema in worker/plugin-catalog/providers.ts). */
type Model = ProviderModel;

/** Opens and closes a ModelList; `controls` is the id of the list it shows. */
export function ModelsButton({
  expanded,
  controls,
  onToggle,
}: {
  expanded: boolean;
  controls: string;
  onToggle: () => void;
}) {
  return (
    <button type="button" class="button subtle" aria-expanded={expanded} aria-controls={controls} onClick={onToggle}>
      {expanded ? 'Hide models' : 'Models'}
    </button>
  );
}

export function ModelList({
  id,
  label,
  providerId,
  credentialId,
}: {
  id: string;
  /** What the models are of ("OpenAI production"), for the region's accessible name. */
  label: string;
  providerId: string;
  credentialId: string | null;
}) {
  // Asking the provider can take a while (the route allows it 15 s), so the list says it is loading until then.
  const [state, reload] = useResource(
    (signal) =>
      get<{ data: Model[] }>(`/api/v1/providers/${encodeURIComponent(providerId)}/models${query({ credentialId })}`, {
        signal,
      }),
    [providerId, credentialId],
  );
  return (
    <section class="models" id={id} aria-label={`Models of ${label}`}>
      {state.status === 'loading' && <Loading what="models" />}
      {state.status === 'error' && (
        <ErrorBanner title="Couldn't list the models" error={state.error} onRetry={reload} />
      )}
      {state.status === 'ready' && state.value.data.length === 0 && (
        <Empty title="The provider lists no models for these credentials." />
      )}
      {state.status === 'ready' && state.value.data.length > 0 && (
        <>
          <p class="muted small">
            {state.value.data.length === 1 ? '1 model' : `${formatNumber(state.value.data.length)} models`} available.
            Chatbots name one of these ids in their settings.
          </p>
          {/* A region that scrolls must take focus, or a keyboard cannot scroll it (WCAG 2.1.1; axe
              scrollable-region-focusable): the table has nothing focusable inside. */}
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the scroll container is what takes the arrow keys */}
          <section class="models-scroll" tabIndex={0} aria-label={`Model table of ${label}`}>
            <table class="table">
              <thead>
                <tr>
                  <th>Model id</th>
                  <th>Name</th>
                  <th class="num">Context window</th>
                </tr>
              </thead>
              <tbody>
                {state.value.data.map((model) => (
                  <tr key={model.id}>
                    <td>
                      <code>{model.id}</code>
                    </td>
                    <td>{model.displayName}</td>
                    <td class="num">
                      {model.contextWindow === undefined ? '—' : `${formatNumber(model.contextWindow)} tokens`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </section>
  );
}

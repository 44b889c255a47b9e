import type { PluginInfo } from '../api';
import { plugins, retryPlugins } from '../state';
import { ErrorBanner } from './ErrorBanner';
import { Loading, SectionHeader } from './Section';

const kindLabels: Record<PluginInfo['kind'], string> = {
  provider: 'LLM provider',
  channel: 'Channel',
  tool: 'Tool',
};

/** The capability flags that are on, such as `tools` or `vision`. */
function enabledCapabilities(plugin: PluginInfo): string[] {
  return Object.entries(plugin.capabilities ?? {})
    .filter(([, value]) => value === true)
    .map(([name]) => name);
}

function settingsCount(plugin: PluginInfo): number {
  const properties = plugin.settingsSchema?.properties;
  return typeof properties === 'object' && properties !== null ? Object.keys(properties).length : 0;
}

function PluginRow({ plugin }: { plugin: PluginInfo }) {
  const capabilities = enabledCapabilities(plugin);
  const settings = settingsCount(plugin);
  return (
    <li class="item">
      <div class="item-main">
        <div class="item-title">
          <span class="name">{plugin.displayName}</span>
          <span class={`badge kind-${plugin.kind}`}>{kindLabels[plugin.kind] ?? plugin.kind}</span>
          <span class="muted small">
            <code>{plugin.id}</code> · v{plugin.version}
          </span>
        </div>
        {plugin.description && <p class="description">{plugin.description}</p>}
        {capabilities.length > 0 && (
          <ul class="chips" aria-label="Capabilities">
            {capabilities.map((name) => (
              <li key={name} class="chip">
                {name}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div class="facts single">
        <span class="muted small">
          {settings === 0 ? 'No settings' : `${settings} setting${settings === 1 ? '' : 's'}`}
        </span>
      </div>
    </li>
  );
}

export function PluginList() {
  const state = plugins.value;
  return (
    <section class="card" aria-labelledby="plugins-title">
      <SectionHeader
        id="plugins-title"
        title="Installed plugins"
        count={state.status === 'ready' ? state.value.length : null}
      />
      {state.status === 'loading' && <Loading what="plugins" />}
      {state.status === 'error' && (
        <ErrorBanner title="Couldn't load plugins" error={state.error} onRetry={retryPlugins} />
      )}
      {state.status === 'ready' &&
        (state.value.length === 0 ? (
          <div class="empty">
            <p>
              <strong>No plugins installed.</strong>
            </p>
            <p class="muted">
              Chatbots need at least one provider plugin to answer. Import a plugin in <code>plugins/registry.ts</code>,
              add it to <code>installed</code> and redeploy.
            </p>
          </div>
        ) : (
          <ul class="list">
            {state.value.map((plugin) => (
              <PluginRow key={plugin.id} plugin={plugin} />
            ))}
          </ul>
        ))}
    </section>
  );
}

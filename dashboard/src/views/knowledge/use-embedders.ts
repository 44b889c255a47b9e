/** The embedder models of the plugin catalog, loaded once per view that offers them. */
import { get } from '../../lib/http';
import { useResource } from '../../lib/resource';
import type { PluginInfo } from '../../lib/types';
import { embedderChoices } from './embedder-choices';

export function useEmbedders() {
  return useResource(
    (signal) => get<{ data: PluginInfo[] }>('/api/v1/plugins', { signal }).then((r) => embedderChoices(r.data)),
    [],
  );
}

/**
 * The team's tool catalog (`GET /api/v1/tools`) for the node settings' tool picker (components/ToolPicker.tsx).
 * Undefined while loading or when it cannot be read: the fields then fall back to plain lists of ids.
 */
import type { ToolCatalog } from '../../components/tool-catalog';
import { get } from '../../lib/http';
import { useResource } from '../../lib/resource';

export function useToolCatalog(): ToolCatalog | undefined {
  const [state] = useResource((signal) => get<ToolCatalog>('/api/v1/tools', { signal }), []);
  return state.status === 'ready' ? state.value : undefined;
}

/**
 * The team's knowledge collections for the node settings' collection picker (components/CollectionPicker.tsx).
 * Undefined while loading or when the list cannot be read: the field then falls back to a plain list of ids.
 */
import type { CollectionChoice } from '../../components/CollectionPicker';
import { get, type Page } from '../../lib/http';
import { useResource } from '../../lib/resource';

/** The API's largest page (worker/http/schemas.ts); a team with more collections than that is not a picker's case. */
const LIMIT = 100;

export function useCollections(): readonly CollectionChoice[] | undefined {
  const [state] = useResource(
    (signal) =>
      get<Page<CollectionChoice>>(`/api/v1/knowledge/collections?limit=${LIMIT}`, { signal }).then((page) =>
        page.data.map(({ id, name }) => ({ id, name })),
      ),
    [],
  );
  return state.status === 'ready' ? state.value : undefined;
}

/** A cursor-paginated list: first page on mount and whenever `query` changes, then "Load more". */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type ApiError, get, type Page } from '../lib/http';
import { toApiError } from '../lib/resource';
import { ErrorBanner, Loading } from './feedback';

interface State<T> {
  items: T[];
  nextCursor: string | null;
  loading: boolean;
  error: ApiError | null;
}

export function usePagedList<T>(path: string): [State<T>, () => void, () => void] {
  const [state, setState] = useState<State<T>>({ items: [], nextCursor: null, loading: true, error: null });
  const [generation, setGeneration] = useState(0);
  const separator = path.includes('?') ? '&' : '?';

  useEffect(() => {
    const controller = new AbortController();
    setState({ items: [], nextCursor: null, loading: true, error: null });
    get<Page<T>>(path, { signal: controller.signal }).then(
      (page) =>
        controller.signal.aborted ||
        setState({ items: page.data, nextCursor: page.nextCursor, loading: false, error: null }),
      (error: unknown) =>
        controller.signal.aborted ||
        setState({ items: [], nextCursor: null, loading: false, error: toApiError(error) }),
    );
    return () => controller.abort();
  }, [path, generation]);

  const loadMore = () => {
    if (!state.nextCursor || state.loading) return;
    const cursor = state.nextCursor;
    setState({ ...state, loading: true, error: null });
    get<Page<T>>(`${path}${separator}cursor=${encodeURIComponent(cursor)}`).then(
      (page) =>
        setState((current) => ({
          items: [...current.items, ...page.data],
          nextCursor: page.nextCursor,
          loading: false,
          error: null,
        })),
      (error: unknown) => setState((current) => ({ ...current, loading: false, error: toApiError(error) })),
    );
  };
  return [state, loadMore, () => setGeneration((n) => n + 1)];
}

export interface PagedListProps<T> {
  path: string;
  what: string;
  empty: ComponentChildren;
  children: (items: T[]) => ComponentChildren;
}

export function PagedList<T>({ path, what, empty, children }: PagedListProps<T>) {
  const [state, loadMore, reload] = usePagedList<T>(path);
  if (state.error && state.items.length === 0)
    return <ErrorBanner title={`Couldn't load ${what}`} error={state.error} onRetry={reload} />;
  if (state.loading && state.items.length === 0) return <Loading what={what} />;
  if (state.items.length === 0) return <>{empty}</>;
  return (
    <>
      {children(state.items)}
      {state.error && <ErrorBanner title={`Couldn't load more ${what}`} error={state.error} onRetry={loadMore} />}
      {state.nextCursor && !state.error && (
        <button type="button" class="button load-more" disabled={state.loading} onClick={loadMore}>
          {state.loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}

/** Loading state for views: one hook that fetches, cancels on change, and reloads on demand. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './http';

export type Resource<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: ApiError };

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'client_error', error instanceof Error ? error.message : String(error));
}

/** Runs `load` whenever a dependency changes; the previous request is aborted so a slow answer never wins. */
export function useResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
): [Resource<T>, () => void, (value: T) => void] {
  const [state, setState] = useState<Resource<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    // A reload keeps showing what was loaded until the new answer arrives, so views (and their notices) stay put.
    setState((current) => (current.status === 'ready' && generation > 0 ? current : { status: 'loading' }));
    load(controller.signal).then(
      (value) => controller.signal.aborted || setState({ status: 'ready', value }),
      (error: unknown) => controller.signal.aborted || setState({ status: 'error', error: toApiError(error) }),
    );
    return () => controller.abort();
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const replace = useCallback((value: T) => setState({ status: 'ready', value }), []);
  return [state, reload, replace];
}

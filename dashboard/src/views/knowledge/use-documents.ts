/**
 * A collection's documents, newest first, kept fresh while any is still being ingested: the table polls every
 * POLL_INTERVAL_MS while a document is queued, parsing or embedding, and stops once all are ready or failed.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type ApiError, get, type Page } from '../../lib/http';
import { toApiError } from '../../lib/resource';
import { type KnowledgeDocument, knowledgePaths } from './api';
import { anyPending, POLL_INTERVAL_MS } from './ingest-status';

/** The first page, and what a refresh re-reads; the API serves at most 100 a page (worker/http/schemas.ts). */
const PAGE = 50;
const MAX_PAGE = 100;

export interface DocumentsState {
  items: KnowledgeDocument[];
  nextCursor: string | null;
  loading: boolean;
  error: ApiError | null;
}

/** `fresh` (the newest documents, re-read) replaces the same documents in `current` and keeps the older rest. */
export function mergeDocuments(current: readonly KnowledgeDocument[], fresh: readonly KnowledgeDocument[]) {
  const ids = new Set(fresh.map((document) => document.id));
  const oldestFresh = fresh.at(-1);
  const rest = current.filter(
    (document) => !ids.has(document.id) && oldestFresh !== undefined && document.createdAt <= oldestFresh.createdAt,
  );
  return [...fresh, ...rest];
}

export function useDocuments(collectionId: string) {
  const [state, setState] = useState<DocumentsState>({ items: [], nextCursor: null, loading: true, error: null });
  const stateRef = useRef(state);
  stateRef.current = state;
  const path = knowledgePaths.documents(collectionId);

  useEffect(() => {
    const controller = new AbortController();
    setState({ items: [], nextCursor: null, loading: true, error: null });
    get<Page<KnowledgeDocument>>(`${path}?limit=${PAGE}`, { signal: controller.signal }).then(
      (page) =>
        controller.signal.aborted ||
        setState({ items: page.data, nextCursor: page.nextCursor, loading: false, error: null }),
      (error: unknown) =>
        controller.signal.aborted || setState((s) => ({ ...s, loading: false, error: toApiError(error) })),
    );
    return () => controller.abort();
  }, [path]);

  /** Re-reads the newest documents (after an upload, a re-index, or on the polling tick). */
  const refresh = useCallback(async () => {
    const limit = Math.min(MAX_PAGE, Math.max(PAGE, stateRef.current.items.length));
    try {
      const page = await get<Page<KnowledgeDocument>>(`${path}?limit=${limit}`);
      setState((current) => ({
        items: mergeDocuments(current.items, page.data),
        // Past the first 100, the cursor already held still points after the documents kept.
        nextCursor: current.items.length > MAX_PAGE ? current.nextCursor : page.nextCursor,
        loading: false,
        error: null,
      }));
    } catch (error) {
      setState((current) => ({ ...current, error: toApiError(error) }));
    }
  }, [path]);

  const loadMore = useCallback(async () => {
    const cursor = stateRef.current.nextCursor;
    if (!cursor) return;
    setState((current) => ({ ...current, loading: true }));
    try {
      const page = await get<Page<KnowledgeDocument>>(`${path}?limit=${PAGE}&cursor=${encodeURIComponent(cursor)}`);
      setState((current) => ({
        items: [...current.items, ...page.data.filter((d) => !current.items.some((c) => c.id === d.id))],
        nextCursor: page.nextCursor,
        loading: false,
        error: null,
      }));
    } catch (error) {
      setState((current) => ({ ...current, loading: false, error: toApiError(error) }));
    }
  }, [path]);

  /** One document changed (toggled public, re-indexed, replaced): shown at once, before the next refresh. */
  const put = useCallback((document: KnowledgeDocument) => {
    setState((current) => ({
      ...current,
      items: current.items.some((d) => d.id === document.id)
        ? current.items.map((d) => (d.id === document.id ? document : d))
        : [document, ...current.items],
    }));
  }, []);

  const remove = useCallback((documentId: string) => {
    setState((current) => ({ ...current, items: current.items.filter((d) => d.id !== documentId) }));
  }, []);

  const pending = anyPending(state.items);
  useEffect(() => {
    if (!pending) return;
    // A slow answer must not be overtaken by the next tick's: one refresh in flight at a time.
    let inFlight = false;
    const timer = setInterval(() => {
      if (inFlight) return;
      inFlight = true;
      void refresh().finally(() => {
        inFlight = false;
      });
    }, POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [pending, refresh]);

  return { state, refresh, loadMore, put, remove, pending };
}

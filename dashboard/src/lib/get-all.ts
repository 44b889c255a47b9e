/** Every row of a cursor-paginated list, for views that need the whole set (a <select>, a transcript, an export). */
import { get, type Page } from './http';

/** The largest page of most lists (`cursorQuery` in worker/http/schemas.ts caps `limit` at 100). */
const DEFAULT_PAGE_SIZE = 100;

/**
 * Stops after this many pages so a server that kept answering a cursor could never spin the tab forever (10,000
 * rows at the default page size); the lists loaded whole are far shorter than that.
 */
const MAX_PAGES = 100;

export interface GetAllOptions {
  signal?: AbortSignal;
  /** `limit` of each request: the list's largest page (e.g. 200 for a conversation's messages). */
  pageSize?: number;
}

/** GETs `path` page after page, following `nextCursor`, and returns the rows in the API's order. */
export async function getAll<T>(
  path: string,
  { signal, pageSize = DEFAULT_PAGE_SIZE }: GetAllOptions = {},
): Promise<T[]> {
  const separator = path.includes('?') ? '&' : '?';
  const rows: T[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const after = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page: Page<T> = await get<Page<T>>(`${path}${separator}limit=${pageSize}${after}`, { signal });
    rows.push(...page.data);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return rows;
}

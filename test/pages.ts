import { expect } from 'vitest';
import { api, errorFields } from './api-fixtures.ts';

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/**
 * Reads a cursor-paginated list with `key` page by page (`limit` rows each), following `nextCursor` until it is
 * null, and returns the pages. Asserts every page answers 200 and every page but the last is full.
 */
export async function walkPages<T>(key: string, path: string, limit: number): Promise<T[][]> {
  const separator = path.includes('?') ? '&' : '?';
  const pages: T[][] = [];
  let cursor: string | null = null;
  do {
    const after = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const res = await api.get(key, `${path}${separator}limit=${limit}${after}`);
    expect(res.status, await res.clone().text()).toBe(200);
    const page = (await res.json()) as Page<T>;
    pages.push(page.data);
    cursor = page.nextCursor;
    if (cursor) expect(page.data).toHaveLength(limit);
    // A guard against a cursor that never ends: no list in a test is this long.
    expect(pages.length).toBeLessThan(1000);
  } while (cursor);
  return pages;
}

/** `rows` sorted by (createdAt, id), newest first when `newestFirst`: the order of the keyset lists. */
export function keysetOrder<T>(rows: T[], key: (row: T) => [string, string], newestFirst: boolean): T[] {
  const sorted = [...rows].sort((a, b) => {
    const [aTime, aId] = key(a);
    const [bTime, bId] = key(b);
    return Date.parse(aTime) - Date.parse(bTime) || (aId < bId ? -1 : aId > bId ? 1 : 0);
  });
  return newestFirst ? sorted.reverse() : sorted;
}

/** The list refuses a page size outside 1–100 and a cursor it did not issue, naming the field (never a 500). */
export async function expectPageBounds(key: string, path: string): Promise<void> {
  const separator = path.includes('?') ? '&' : '?';
  for (const [query, field] of [
    ['limit=0', 'query.limit'],
    ['limit=101', 'query.limit'],
    ['limit=ten', 'query.limit'],
    ['cursor=not-a-cursor', 'query.cursor'],
    [`cursor=${btoa('123:').replace(/=+$/, '')}`, 'query.cursor'],
  ] as const) {
    const res = await api.get(key, `${path}${separator}${query}`);
    expect(res.status, query).toBe(400);
    expect(await errorFields(res), query).toEqual([field]);
  }
  const largest = await api.get(key, `${path}${separator}limit=100`);
  expect(largest.status).toBe(200);
}

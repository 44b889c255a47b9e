import { describe, expect, it } from 'vitest';
import { API_DOCS_PREFIXES, buildApp, URL_MAP } from './url-map.ts';

const under = (path: string, prefixes: readonly string[]) =>
  prefixes.some((prefix) => path === prefix || path.startsWith(prefix));

describe('the URL map (worker/url-map.ts)', () => {
  it('names, for every router, the prefixes all its routes live under', () => {
    for (const { router, prefixes } of URL_MAP) {
      expect(router.routes.length).toBeGreaterThan(0);
      for (const route of router.routes)
        expect(under(route.path, prefixes), `${route.method} ${route.path}`).toBe(true);
    }
  });

  it('mounts no route outside the map: only app-wide middleware (`…*`) is registered elsewhere', () => {
    const prefixes = [...URL_MAP.flatMap((entry) => entry.prefixes), ...API_DOCS_PREFIXES];
    const outside = buildApp()
      .routes.filter((route) => !route.path.endsWith('*') && !under(route.path, prefixes))
      .map((route) => `${route.method} ${route.path}`);
    expect(outside).toEqual([]);
  });
});

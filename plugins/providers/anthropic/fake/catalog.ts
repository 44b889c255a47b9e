/** The fake's model catalog, in the `GET /v1/models` ModelInfo shape of API version 2026-10-21. */
import { type ApiError, apiError, invalidRequest } from './wire.ts';

interface CatalogModel {
  id: string;
  display_name: string;
  created_at: string;
  lifecycle: 'active' | 'deprecated' | 'retired';
  line: string;
  max_input_tokens: number;
  max_tokens: number;
  deprecated_at: string | null;
  retires_at: string | null;
}

const model = (
  id: string,
  display_name: string,
  created_at: string,
  limits: { input: number; output: number },
  lifecycle: CatalogModel['lifecycle'] = 'active',
): CatalogModel => ({
  id,
  display_name,
  created_at,
  lifecycle,
  line: id.split('-')[1] ?? 'unknown',
  max_input_tokens: limits.input,
  max_tokens: limits.output,
  deprecated_at: lifecycle === 'active' ? null : '2026-08-31T00:00:00Z',
  retires_at: lifecycle === 'active' ? null : '2026-11-30T00:00:00Z',
});

const ONE_M = { input: 1_000_000, output: 128_000 };

/** Newest first, the order the API lists them in. */
export const CATALOG: readonly CatalogModel[] = [
  model('claude-haiku-5-5', 'Claude Haiku 5.5', '2026-10-07T00:00:00Z', ONE_M),
  model('claude-sonnet-5-5', 'Claude Sonnet 5.5', '2026-09-15T00:00:00Z', ONE_M),
  model('claude-opus-5-5', 'Claude Opus 5.5', '2026-09-01T00:00:00Z', ONE_M),
  model('claude-haiku-4-5-20251001', 'Claude Haiku 4.5', '2025-10-15T00:00:00Z', { input: 200_000, output: 64_000 }),
  model(
    'claude-sonnet-4-5-20250929',
    'Claude Sonnet 4.5',
    '2025-09-29T00:00:00Z',
    { input: 200_000, output: 64_000 },
    'deprecated',
  ),
  model(
    'claude-3-opus-20240229',
    'Claude Opus 3',
    '2024-02-29T00:00:00Z',
    { input: 200_000, output: 4_096 },
    'retired',
  ),
];

/** Output limit of a model the fake serves: catalog ids, their dateless aliases, and the `fake-*` scenario models. */
export function maxOutputTokens(id: string): number | undefined {
  if (id.startsWith('fake-')) return 128_000;
  const found = CATALOG.find((entry) => entry.id === id || entry.id.replace(/-\d{8}$/, '') === id);
  return found && found.lifecycle !== 'retired' ? found.max_tokens : undefined;
}

function toWire(entry: CatalogModel): Record<string, unknown> {
  return { type: 'model', capabilities: null, ...entry };
}

/**
 * `GET /v1/models`: `limit` 1–1000 (default 20), cursor paging with `after_id` / `before_id`, and a `lifecycle`
 * filter that defaults to active and deprecated models, as in the Models API reference.
 */
export function listModels(query: URLSearchParams): { body: Record<string, unknown> } | { error: ApiError } {
  const limitText = query.get('limit');
  const limit = limitText === null ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    return {
      error: invalidRequest('limit: Input should be greater than or equal to 1 and less than or equal to 1000'),
    };
  }
  const lifecycles = query.getAll('lifecycle').flatMap((value) => value.split(','));
  const wanted = new Set(lifecycles.length > 0 ? lifecycles : ['active', 'deprecated']);
  const visible = CATALOG.filter((entry) => wanted.has(entry.lifecycle));
  let start = 0;
  let end = visible.length;
  const afterId = query.get('after_id');
  const beforeId = query.get('before_id');
  if (afterId !== null) start = visible.findIndex((entry) => entry.id === afterId) + 1;
  if (beforeId !== null)
    end = Math.max(
      0,
      visible.findIndex((entry) => entry.id === beforeId),
    );
  if ((afterId !== null && start === 0) || (beforeId !== null && end === 0 && visible[0]?.id !== beforeId)) {
    return { error: apiError(404, 'not_found_error', `model: ${afterId ?? beforeId}`) };
  }
  const page =
    beforeId !== null ? visible.slice(Math.max(start, end - limit), end) : visible.slice(start, start + limit);
  const hasMore = beforeId !== null ? end - limit > start : start + limit < end;
  return {
    body: {
      data: page.map(toWire),
      has_more: hasMore,
      first_id: page[0]?.id ?? null,
      last_id: page.at(-1)?.id ?? null,
    },
  };
}

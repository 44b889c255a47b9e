import type { Context } from 'hono';
import { ApiError } from '../http/errors.ts';

/**
 * Whether a page origin may use a widget key. `*` in the list allows every origin: a development setting only,
 * since the key is public and anyone could then embed the chatbot on any site.
 */
export function originAllowed(allowed: readonly string[], origin: string | undefined): origin is string {
  if (!origin || origin === 'null') return false;
  return allowed.includes('*') || allowed.includes(origin);
}

export const originNotAllowed = () =>
  new ApiError(403, 'origin_not_allowed', 'This page origin is not allowed to use this widget');

const ALLOW_HEADERS = 'authorization, content-type, last-event-id';
const EXPOSE_HEADERS = 'retry-after, ratelimit, ratelimit-policy';

/**
 * CORS for one allowed origin: the origin is echoed (never `*`), and `Vary: Origin` keeps caches from serving
 * one origin's answer to another. No credentials header: the widget sends no cookies, only its token.
 */
export function allowOrigin(c: Context, origin: string): void {
  c.header('Access-Control-Allow-Origin', origin);
  c.header('Access-Control-Expose-Headers', EXPOSE_HEADERS);
  c.header('Vary', 'Origin');
}

export function preflightHeaders(origin: string): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': ALLOW_HEADERS,
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}

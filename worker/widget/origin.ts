import type { Context } from 'hono';
import { ApiError } from '../http/errors.ts';

/** `scheme://host:*`: any port of one host (local development, where dev servers pick ports). */
const PORT_WILDCARD = /^(https?:\/\/[^/:]+):\*$/;

/** Whether `origin` matches one allow-list entry: an exact origin, `*`, or `scheme://host:*` (any or no port). */
function matches(entry: string, origin: string): boolean {
  if (entry === '*' || entry === origin) return true;
  const host = PORT_WILDCARD.exec(entry)?.[1];
  if (!host || !origin.startsWith(host)) return false;
  return /^(:\d{1,5})?$/.test(origin.slice(host.length));
}

/**
 * Whether a page origin may use a widget key. `*` in the list allows every origin: a development setting only,
 * since the key is public and anyone could then embed the chatbot on any site.
 */
export function originAllowed(allowed: readonly string[], origin: string | undefined): origin is string {
  if (!origin || origin === 'null') return false;
  return allowed.some((entry) => matches(entry, origin));
}

/** The 403 a page gets when its origin is not on the widget key: it names the origin and the fix. */
export const originNotAllowed = (origin?: string) =>
  new ApiError(
    403,
    'origin_not_allowed',
    origin && origin !== 'null'
      ? `The origin ${origin} is not allowed to use this widget: the chatbot's widget key must list it in allowedOrigins`
      : "This request has no page origin, and the chatbot's widget key only serves the origins it lists",
  );

/**
 * The page origin of a widget request. Browsers omit `Origin` on same-origin GETs (Fetch spec, "append a request
 * `Origin` header"), so the demo page's history load has none: then `Sec-Fetch-Site: same-origin` means the Worker's
 * own origin, else the Referer's origin (sent under the default strict-origin-when-cross-origin policy).
 */
export function requestOrigin(c: Context): string | undefined {
  const origin = c.req.header('origin');
  if (origin !== undefined) return origin;
  if (c.req.header('sec-fetch-site') === 'same-origin') return new URL(c.req.url).origin;
  const referer = c.req.header('referer');
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

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

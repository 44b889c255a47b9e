import type { MiddlewareHandler } from 'hono';

/**
 * Security headers for the dashboard's static files, written by scripts/build-ui.ts into `dist/public/_headers`,
 * which Workers static assets apply to the files they serve (developers.cloudflare.com/workers/static-assets/headers).
 * The CSP allows only the dashboard's own files: its HTML has no inline script or style, Preact sets styles through
 * the CSSOM (which `style-src` does not govern), and it talks only to its own API. `frame-ancestors 'none'` keeps it
 * out of other sites' frames (clickjacking). Only `/dashboard/*`: widget.js, widget-ui.js and the widget API are
 * meant to run on other sites and keep no such rules.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // data: and blob: for QR codes and previews of uploaded images.
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': DASHBOARD_CSP,
  'X-Content-Type-Options': 'nosniff',
  // The dashboard's URLs carry invitation tokens in fragments (never sent) and ids in paths: send no referrer at all.
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/** The `_headers` file: one rule per path pattern, headers indented beneath it. */
export function headersFile(): string {
  const lines = Object.entries(DASHBOARD_HEADERS).map(([name, value]) => `  ${name}: ${value}`);
  return ['# Written by scripts/build-ui.ts from worker/http/security-headers.ts', '/dashboard/*', ...lines, ''].join(
    '\n',
  );
}

/**
 * `X-Content-Type-Options: nosniff` on every Worker response, so a browser never reads an API body (JSON, a stored
 * file) as HTML or script whatever its content. A response from a binding has immutable headers: copy it first.
 */
export const noSniff: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.res.status === 101) return;
  try {
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
  } catch {
    const copy = new Response(c.res.body, c.res);
    copy.headers.set('X-Content-Type-Options', 'nosniff');
    c.res = copy;
  }
};

import { createMiddleware } from 'hono/factory';
import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { allowOrigin, originNotAllowed, requestOrigin } from './origin.ts';
import { TokenExpiredError, verifyWidgetToken, type WidgetTokenPayload } from './token.ts';

export type WidgetEnv = { Bindings: Env; Variables: { widget: WidgetTokenPayload } };

/** `Authorization: Bearer <token>`, or `?token=` where a browser cannot set headers (WebSocket, EventSource, <img>). */
function presentedToken(header: string | undefined, query: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? query;
}

/**
 * Revocation takes effect on the next request, not when the token expires: one primary-key read of the token's
 * widget key per widget request. A deleted key (its chatbot deleted) reads the same as a revoked one.
 */
async function requireActiveKey(env: Env, payload: WidgetTokenPayload): Promise<void> {
  const row = await env.DB.prepare('SELECT revoked_at FROM widget_keys WHERE id = ?1 AND team_id = ?2')
    .bind(payload.k, payload.t)
    .first<{ revoked_at: number | null }>();
  if (!row || row.revoked_at !== null) {
    throw new ApiError(401, 'widget_key_revoked', 'The widget key of this session was revoked; the widget is disabled');
  }
}

/**
 * Authenticates a widget token and pins the request to it: the page's Origin must be the one the session was
 * created from, and a `{id}` in the path must be the token's conversation (404 otherwise, as for an unknown id).
 * `originOptional` is for file downloads only: browsers send no Origin on a plain `<img>` or link GET, and the
 * token in the URL is already bound to the origin it was issued to.
 */
export const requireWidgetToken = (options: { originOptional?: boolean } = {}) =>
  createMiddleware<WidgetEnv>(async (c, next) => {
    const token = presentedToken(c.req.header('authorization'), c.req.query('token'));
    if (!token) throw new ApiError(401, 'invalid_token', 'Missing widget token (Authorization: Bearer <token>)');
    // File downloads keep to the raw header: a link or <img> elsewhere may carry an unrelated Referer.
    const origin = options.originOptional ? c.req.header('origin') : requestOrigin(c);
    let payload: WidgetTokenPayload;
    try {
      payload = await verifyWidgetToken(c.env.ENCRYPTION_KEY, token);
    } catch (error) {
      // An expired token is still genuine, so its origin may read the 401 and refresh the session.
      if (error instanceof TokenExpiredError && origin === error.origin) allowOrigin(c, origin);
      throw error;
    }
    if (origin === undefined ? !options.originOptional : origin !== payload.o) throw originNotAllowed(origin);
    await requireActiveKey(c.env, payload);
    // A WebSocket needs no CORS, and its 101 must pass through untouched (a copied 101 loses its socket).
    const upgrade = c.req.header('upgrade')?.toLowerCase() === 'websocket';
    if (!upgrade) allowOrigin(c, payload.o);
    const conversationId = c.req.param('id');
    if (conversationId !== undefined && conversationId !== payload.c) {
      throw new ApiError(404, 'not_found', 'Conversation not found');
    }
    c.set('widget', payload);
    await next();
    // Headers set before `next` are lost when the handler returns a Response of its own (a proxied stream).
    if (!upgrade && c.res.status !== 101 && !c.res.headers.has('access-control-allow-origin'))
      allowOrigin(c, payload.o);
  });

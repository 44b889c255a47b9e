import { Hono } from 'hono';
import { database } from '../db/client.ts';
import type { Env } from '../env.ts';
import { allowOrigin, originAllowed, originNotAllowed, preflightHeaders } from './origin.ts';
import { enforce, hitSessionIp, WIDGET_LIMITS } from './rate-limits.ts';
import { clientIp, jsonBody } from './request.ts';
import { anyKeyAllows, createSession, findWidgetKey, sessionRequest } from './session.ts';

/** Widget sessions and the CORS preflight of every widget route (docs/widget-api.md). */
export const widgetSessionRoutes = new Hono<{ Bindings: Env }>()
  .options('/api/widget/v1/*', async (c) => {
    const origin = c.req.header('origin');
    if (!origin || !(await anyKeyAllows(c.env, origin))) throw originNotAllowed(origin);
    return c.body(null, 204, preflightHeaders(origin));
  })
  .post('/api/widget/v1/sessions', async (c) => {
    const body = await jsonBody(c, sessionRequest);
    const origin = c.req.header('origin');
    const key = await findWidgetKey(database(c.env.DB), body.widgetKey);
    if (!originAllowed(key.allowedOrigins, origin)) throw originNotAllowed(origin);
    // From here on the page may read our answers, errors included (a wrong identity hash, a rate limit).
    allowOrigin(c, origin);
    enforce(c, WIDGET_LIMITS.ipSessions, await hitSessionIp(c.env, clientIp(c)));
    return c.json(await createSession(c.env, key, origin, body), 200);
  });

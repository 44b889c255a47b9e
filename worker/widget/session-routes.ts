import { createRoute } from '@hono/zod-openapi';
import { database } from '../db/client.ts';
import { createRouter } from '../http/app.ts';
import {
  WIDGET_KEY_SCHEME,
  WidgetSessionRequest,
  WidgetSessionSchema,
  widgetErrorResponses,
  widgetRateLimited,
} from './api-schemas.ts';
import { allowOrigin, originAllowed, originNotAllowed, preflightHeaders } from './origin.ts';
import { enforce, hitSessionIp, WIDGET_LIMITS } from './rate-limits.ts';
import { clientIp } from './request.ts';
import { anyKeyAllows, createSession, findWidgetKey } from './session.ts';

/** Widget sessions and the CORS preflight of every widget route (docs/widget-api.md). */
export const widgetSessionRoutes = createRouter();

// Preflights carry no token and no body, and `*` has no OpenAPI path: a plain route, outside the document.
widgetSessionRoutes.options('/api/widget/v1/*', async (c) => {
  const origin = c.req.header('origin');
  if (!origin || !(await anyKeyAllows(c.env, origin))) throw originNotAllowed(origin);
  return c.body(null, 204, preflightHeaders(origin));
});

widgetSessionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/widget/v1/sessions',
    tags: ['Widget'],
    summary: 'Start or continue a visitor’s conversation and get a widget token for it',
    description:
      'Authenticated by the public widget key in the body and the page `Origin`, which must be on the key’s ' +
      'allowedOrigins. A signed-in user sends `identity` with its HMAC; an anonymous visitor its `anonymousId`.',
    security: [{ [WIDGET_KEY_SCHEME]: [] }],
    request: { body: { required: true, content: { 'application/json': { schema: WidgetSessionRequest } } } },
    responses: {
      200: { description: 'The session', content: { 'application/json': { schema: WidgetSessionSchema } } },
      400: widgetErrorResponses[400],
      401: {
        ...widgetErrorResponses[401],
        description: 'Unknown or revoked widget key, or an identity hash that does not match',
      },
      403: { ...widgetErrorResponses[403], description: 'The page origin is not on the widget key' },
      409: { ...widgetErrorResponses[400], description: 'The chatbot is archived or has no published version' },
      429: { ...widgetRateLimited, description: 'Too many new sessions from this IP address' },
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const origin = c.req.header('origin');
    const key = await findWidgetKey(database(c.env.DB), body.widgetKey);
    if (!originAllowed(key.allowedOrigins, origin)) throw originNotAllowed(origin);
    // From here on the page may read our answers, errors included (a wrong identity hash, a rate limit).
    allowOrigin(c, origin);
    enforce(c, WIDGET_LIMITS.ipSessions, await hitSessionIp(c.env, clientIp(c)));
    return c.json(await createSession(c.env, key, origin, body), 200);
  },
);

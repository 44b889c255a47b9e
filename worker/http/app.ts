import { OpenAPIHono } from '@hono/zod-openapi';
import type { ErrorHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Env } from '../env.ts';
import { allowedMethods } from './allowed-methods.ts';
import { ApiError, errorBody, handleError, validationError } from './errors.ts';
import { jsonBodyGate } from './json-body.ts';
import { rateLimit, type SignedInUser, type VerifiedKeyBucket } from './rate-limit.ts';
import { durableObjectRateLimiter } from './rate-limiter-do.ts';
import { ROUTE_MIDDLEWARE } from './route-scopes.ts';
import { noSniff } from './security-headers.ts';

/**
 * What middleware puts on `c.var`. The platform names none of it: each feature adds its own variables by declaration
 * merging (`declare module '../http/app.ts'` in worker/auth/middleware.ts and worker/audit/summary.ts), so http/
 * imports no feature, as Hono's own `ContextVariableMap` is extended.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in the features.
export interface AppVariables {}

export type AppEnv = { Bindings: Env; Variables: AppVariables };

// Largest JSON body any route accepts. Messages are capped far lower by their schemas; files go to R2 uploads.
const MAX_BODY_BYTES = 1024 * 1024;

/** A router with Parley's validation errors and error handler; every route module builds on one. */
export function createRouter() {
  const router = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });
  // The library registers a route's description without its middleware; keep it so the API docs can tell which
  // scope each route requires from the middleware it really runs (worker/http/route-scopes.ts).
  // A route that declares a JSON body gets it checked (present, JSON, the right media type) after its auth middleware,
  // so no handler ever runs on a missing body (worker/http/json-body.ts); `required: false` keeps a body optional.
  const openapi = router.openapi;
  router.openapi = ((route, handler, hook) => {
    const body = route.request?.body;
    if (!body?.content?.['application/json']) {
      return openapi({ ...route, [ROUTE_MIDDLEWARE]: route.middleware }, handler, hook);
    }
    const optional = body.required === false;
    const own =
      route.middleware === undefined ? [] : Array.isArray(route.middleware) ? route.middleware : [route.middleware];
    return openapi(
      {
        ...route,
        request: { ...route.request, body: { ...body, required: !optional } },
        middleware: [...own, jsonBodyGate(optional)],
        [ROUTE_MIDDLEWARE]: route.middleware,
      },
      handler,
      hook,
    );
  }) as typeof openapi;
  return router;
}

/** A part of the API that answers errors in another format (the OpenAI-compatible `/v1` speaks OpenAI's). */
export interface ErrorFormat {
  prefix: string;
  onError: ErrorHandler<AppEnv>;
}

// File uploads stream to R2 under their own, larger cap (worker/widget/uploads.ts checks Content-Length).
const UPLOAD_PATH =
  /^\/api\/widget\/v1\/conversations\/[^/]+\/uploads$|^\/api\/v1\/knowledge\/collections\/[^/]+\/documents(\/[^/]+\/file)?$/;

/** What the composition root (worker/index.ts) hands the platform from the features. */
export interface AppHooks {
  /** Who is signed in by session cookie, so the dashboard gets a per-person rate-limit bucket (worker/http/rate-limit.ts). */
  signedInUser?: SignedInUser;
  /** Whether a bearer token is a key this isolate verified, so it gets the per-key bucket instead of the IP's. */
  verifiedKeyBucket?: VerifiedKeyBucket;
}

export function createApp(errorFormats: readonly ErrorFormat[] = [], hooks: AppHooks = {}) {
  const app = createRouter();
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `Request body exceeds ${MAX_BODY_BYTES} bytes`);
    },
  });
  app.use('*', noSniff);
  app.use('*', (c, next) => (UPLOAD_PATH.test(c.req.path) ? next() : limitBody(c, next)));
  // Per known API key (per IP otherwise). The middleware knows only the RateLimiter port; its Durable Object is chosen here.
  const limited = rateLimit((env) => durableObjectRateLimiter(env.RATE_LIMITER), hooks);
  app.use('/api/v1/*', limited);
  app.use('/v1/*', limited);
  app.onError((error, c) => {
    const format = errorFormats.find((candidate) => c.req.path.startsWith(candidate.prefix));
    return format ? format.onError(error, c) : handleError(error, c);
  });
  // A known path asked with another method is a 405 naming the methods it takes; anything else a 404.
  app.notFound(async (c) => {
    const allow = allowedMethods(app, c.req.path);
    const error = allow.length
      ? new ApiError(
          405,
          'method_not_allowed',
          `${c.req.method} is not allowed on ${c.req.path}; use ${allow.join(', ')}`,
        )
      : new ApiError(404, 'not_found', `No route for ${c.req.method} ${c.req.path}`);
    const format = errorFormats.find((candidate) => c.req.path.startsWith(candidate.prefix));
    const res = format ? await format.onError(error, c) : c.json(errorBody(error.code, error.message), error.status);
    if (allow.length) res.headers.set('Allow', allow.join(', '));
    return res;
  });
  return app;
}

import { createMiddleware } from 'hono/factory';
import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import type { RateLimitPolicy } from '../http/rate-limit.ts';
import { durableObjectRateLimiter } from '../http/rate-limiter-do.ts';
import { constantTimeEqual } from '../security/constant-time.ts';

/**
 * Operator calls per client IP per minute, counted before the token is checked, so guessing tokens is as slow as
 * this: the API-wide limit counts per presented token, which a guesser changes on every try. Generous for the CLI
 * (one call per move step; a step copies up to 2,000 rows).
 */
export const OPS_RATE_LIMIT: RateLimitPolicy = { name: 'ops', limit: 120, windowSeconds: 60 };

/** The security scheme's name in the OpenAPI document (worker/ops/api-schemas.ts). */
export const OPS_SECURITY = 'opsToken';

/**
 * The operator API's gate: `Authorization: Bearer <OPS_TOKEN>` (a `wrangler secret`), compared in constant time.
 * Without the secret the routes do not exist (404, as any unknown path), so a deployment that never set one has no
 * operator surface at all. Tagged `opsToken` so the API docs and the auth sweep can tell these routes apart.
 */
export const requireOpsToken = () =>
  Object.assign(
    createMiddleware<{ Bindings: Env }>(async (c, next) => {
      const expected = c.env.OPS_TOKEN;
      if (!expected) throw new ApiError(404, 'not_found', `No route for ${c.req.method} ${c.req.path}`);
      const ip = c.req.header('cf-connecting-ip') ?? 'local';
      const decision = await durableObjectRateLimiter(c.env.RATE_LIMITER).hit(`ops:${ip}`, OPS_RATE_LIMIT);
      if (!decision.allowed) {
        throw new ApiError(
          429,
          'rate_limited',
          `Rate limit of ${OPS_RATE_LIMIT.limit} operator calls per minute exceeded`,
          {
            retryAfter: decision.resetSeconds,
          },
        );
      }
      const presented = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
      if (!constantTimeEqual(presented, expected)) {
        throw new ApiError(401, 'unauthorized', 'Missing or wrong operator token (Authorization: Bearer <OPS_TOKEN>)');
      }
      await next();
    }),
    { opsToken: true },
  );

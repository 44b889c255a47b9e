import { createMiddleware } from 'hono/factory';
import type { Env } from '../env.ts';
import { sha256Hex } from '../security/encoding.ts';
import { errorBody } from './errors.ts';

/** A quota: at most `limit` requests per `windowSeconds`. `name` is the policy name clients see in the headers. */
export interface RateLimitPolicy {
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Requests left in the current window after this one. */
  remaining: number;
  /** Seconds until the window resets (at least 1). */
  resetSeconds: number;
}

/** The port: counts one request against `bucket` under `policy`. Implementations must be shared by all isolates. */
export interface RateLimiter {
  hit(bucket: string, policy: RateLimitPolicy): Promise<RateLimitDecision>;
}

export const DEFAULT_RATE_LIMITS = { perKey: 600, perIp: 120, windowSeconds: 60 } as const;

function positive(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

/** Policies from the Worker's vars (RATE_LIMIT_PER_KEY, RATE_LIMIT_PER_IP, RATE_LIMIT_WINDOW_SECONDS). */
export function rateLimitPolicies(env: Env): { key: RateLimitPolicy; ip: RateLimitPolicy } {
  const windowSeconds = positive(env.RATE_LIMIT_WINDOW_SECONDS, DEFAULT_RATE_LIMITS.windowSeconds);
  return {
    key: { name: 'api-key', limit: positive(env.RATE_LIMIT_PER_KEY, DEFAULT_RATE_LIMITS.perKey), windowSeconds },
    ip: { name: 'ip', limit: positive(env.RATE_LIMIT_PER_IP, DEFAULT_RATE_LIMITS.perIp), windowSeconds },
  };
}

/** `RateLimit-Policy` and `RateLimit` as structured fields (draft-ietf-httpapi-ratelimit-headers-11). */
export function rateLimitHeaders(policy: RateLimitPolicy, decision: RateLimitDecision): Record<string, string> {
  return {
    'RateLimit-Policy': `"${policy.name}";q=${policy.limit};w=${policy.windowSeconds}`,
    RateLimit: `"${policy.name}";r=${decision.remaining};t=${decision.resetSeconds}`,
  };
}

/**
 * Counts every request per API key — the SHA-256 of the presented bearer token, valid or not, so the limit applies
 * before the key is even looked up — or per client IP when there is none, and answers 429 past the quota.
 */
export const rateLimit = (limiterFor: (env: Env) => RateLimiter) =>
  createMiddleware<{ Bindings: Env }>(async (c, next) => {
    const policies = rateLimitPolicies(c.env);
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const [policy, bucket] = token
      ? [policies.key, `key:${await sha256Hex(token)}`]
      : [policies.ip, `ip:${c.req.header('cf-connecting-ip') ?? 'local'}`];
    const decision = await limiterFor(c.env).hit(bucket, policy);
    const headers = rateLimitHeaders(policy, decision);
    if (!decision.allowed) {
      const message = `Rate limit of ${policy.limit} requests per ${policy.windowSeconds}s exceeded`;
      const body = errorBody('rate_limited', message, { retryAfter: decision.resetSeconds });
      // OpenAI's SDKs on /v1 also read `type`; the extra field leaves Parley's error shape intact.
      if (c.req.path.startsWith('/v1/')) Object.assign(body.error, { type: 'rate_limit_error', param: null });
      return c.json(body, 429, {
        ...headers,
        'Retry-After': String(decision.resetSeconds),
      });
    }
    await next();
    // A WebSocket upgrade's 101 cannot be copied into a new Response, which is what setting a header on it takes.
    if (c.res.status === 101) return;
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
  });

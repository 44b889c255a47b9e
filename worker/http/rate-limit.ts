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
export function rateLimitPolicies(env: Env): { key: RateLimitPolicy; ip: RateLimitPolicy; user: RateLimitPolicy } {
  const windowSeconds = positive(env.RATE_LIMIT_WINDOW_SECONDS, DEFAULT_RATE_LIMITS.windowSeconds);
  return {
    key: { name: 'api-key', limit: positive(env.RATE_LIMIT_PER_KEY, DEFAULT_RATE_LIMITS.perKey), windowSeconds },
    ip: { name: 'ip', limit: positive(env.RATE_LIMIT_PER_IP, DEFAULT_RATE_LIMITS.perIp), windowSeconds },
    // A signed-in person gets an API key's quota: the dashboard is one of the API's clients.
    user: { name: 'user', limit: positive(env.RATE_LIMIT_PER_KEY, DEFAULT_RATE_LIMITS.perKey), windowSeconds },
  };
}

/** `RateLimit-Policy` and `RateLimit` as structured fields (draft-ietf-httpapi-ratelimit-headers-11). */
export function rateLimitHeaders(policy: RateLimitPolicy, decision: RateLimitDecision): Record<string, string> {
  return {
    'RateLimit-Policy': `"${policy.name}";q=${policy.limit};w=${policy.windowSeconds}`,
    RateLimit: `"${policy.name}";r=${decision.remaining};t=${decision.resetSeconds}`,
  };
}

export type RateLimitContext = Parameters<Parameters<typeof createMiddleware<{ Bindings: Env }>>[0]>[0];

/**
 * The id of the person signed in with the request's session cookie, if the cookie is valid. Sessions are the auth
 * feature's (worker/auth/signed-in-user.ts); the platform is handed the lookup by the composition root (worker/index.ts).
 */
export type SignedInUser = (c: RateLimitContext) => Promise<string | undefined>;

/**
 * The bucket of a request: its API key, else the signed-in person whose session cookie is valid (so the dashboard
 * does not share an office's per-IP budget, nor exhaust it), else the client IP. An invalid cookie counts per IP:
 * made-up cookies must not open fresh buckets.
 */
async function bucketOf(
  c: RateLimitContext,
  policies: ReturnType<typeof rateLimitPolicies>,
  signedInUser?: SignedInUser,
) {
  const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  if (token) return [policies.key, `key:${await sha256Hex(token)}`] as const;
  const userId = await signedInUser?.(c);
  if (userId) return [policies.user, `user:${userId}`] as const;
  return [policies.ip, `ip:${c.req.header('cf-connecting-ip') ?? 'local'}`] as const;
}

/**
 * Counts every request per API key — the SHA-256 of the presented bearer token, valid or not, so the limit applies
 * before the key is even looked up — or per signed-in person, or per client IP when there is neither, and answers 429 past the quota.
 */
export const rateLimit = (limiterFor: (env: Env) => RateLimiter, signedInUser?: SignedInUser) =>
  createMiddleware<{ Bindings: Env }>(async (c, next) => {
    const policies = rateLimitPolicies(c.env);
    const [policy, bucket] = await bucketOf(c, policies, signedInUser);
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

import { createMiddleware } from 'hono/factory';
import type { Env } from '../env.ts';
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
 * The rate-limit bucket of a bearer token if it is a key this isolate knows, without asking D1; undefined counts the
 * request per IP. API keys are the auth feature's (worker/auth/api-key-bucket.ts), handed over by the composition root.
 */
export type VerifiedKeyBucket = (token: string) => Promise<string | undefined>;

export interface RateLimitHooks {
  signedInUser?: SignedInUser;
  verifiedKeyBucket?: VerifiedKeyBucket;
}

/**
 * The bucket of a request: its API key if the key is one we know, else the signed-in person whose session cookie is
 * valid (so the dashboard does not share an office's per-IP budget, nor exhaust it), else the client IP. A made-up
 * bearer token or cookie counts per IP, so it opens no fresh bucket; a bearer token of any kind also keeps a cookie
 * from choosing the bucket, as the auth middleware then ignores the cookie.
 */
async function bucketOf(c: RateLimitContext, policies: ReturnType<typeof rateLimitPolicies>, hooks: RateLimitHooks) {
  const ip = [policies.ip, `ip:${c.req.header('cf-connecting-ip') ?? 'local'}`] as const;
  const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  if (token) {
    const keyBucket = await hooks.verifiedKeyBucket?.(token);
    return keyBucket ? ([policies.key, `key:${keyBucket}`] as const) : ip;
  }
  const userId = await hooks.signedInUser?.(c);
  if (userId) return [policies.user, `user:${userId}`] as const;
  return ip;
}

/**
 * Counts every request per known API key, or per signed-in person, or per client IP otherwise — before any D1 lookup
 * of a key — and answers 429 past the quota.
 */
export const rateLimit = (limiterFor: (env: Env) => RateLimiter, hooks: RateLimitHooks = {}) =>
  createMiddleware<{ Bindings: Env }>(async (c, next) => {
    const policies = rateLimitPolicies(c.env);
    const [policy, bucket] = await bucketOf(c, policies, hooks);
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

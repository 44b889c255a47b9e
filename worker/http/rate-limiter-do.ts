import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env.ts';
import type { RateLimitDecision, RateLimiter, RateLimitPolicy } from './rate-limit.ts';

/**
 * One object per bucket (API key hash or client IP): a Durable Object is the one place every isolate agrees on,
 * and it runs the same under `wrangler dev` and in tests. Fixed windows counted in memory only: a storage write per
 * request would cost more than the limit protects, and an evicted object merely forgets a partial window.
 */
export class RateLimiterDO extends DurableObject<Env> {
  private windowStart = 0;
  private count = 0;

  hit(policy: Pick<RateLimitPolicy, 'limit' | 'windowSeconds'>, now = Date.now()): RateLimitDecision {
    const windowMs = policy.windowSeconds * 1000;
    const start = now - (now % windowMs);
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.count = 0;
    }
    const allowed = this.count < policy.limit;
    if (allowed) this.count += 1;
    return {
      allowed,
      remaining: policy.limit - this.count,
      resetSeconds: Math.max(1, Math.ceil((start + windowMs - now) / 1000)),
    };
  }
}

/** The RateLimiter port over the RATE_LIMITER namespace. */
export function durableObjectRateLimiter(namespace: Env['RATE_LIMITER']): RateLimiter {
  return {
    async hit(bucket, policy) {
      // Env types no namespace by its class (worker/env.ts names none): the class that answers is this file's.
      const stub = namespace.get(namespace.idFromName(bucket)) as unknown as DurableObjectStub<RateLimiterDO>;
      return stub.hit({ limit: policy.limit, windowSeconds: policy.windowSeconds });
    },
  };
}

import type { Context } from 'hono';
import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { type RateLimitDecision, type RateLimitPolicy, rateLimitHeaders } from '../http/rate-limit.ts';
import { durableObjectRateLimiter } from '../http/rate-limiter-do.ts';

/** Widget quotas (the widget contract): messages per participant and new sessions per client IP, per minute. */
export const WIDGET_LIMITS = {
  participantMessages: { name: 'widget-participant', limit: 20, windowSeconds: 60 },
  ipSessions: { name: 'widget-ip', limit: 60, windowSeconds: 60 },
} as const satisfies Record<string, RateLimitPolicy>;

const positive = (value: string | undefined, fallback: number) => {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
};

/** The per-participant message quota, overridable by the Worker vars WIDGET_RATE_LIMIT_PER_PARTICIPANT / _WINDOW_SECONDS. */
export function participantPolicy(env: Env): RateLimitPolicy {
  const defaults = WIDGET_LIMITS.participantMessages;
  return {
    name: defaults.name,
    limit: positive(env.WIDGET_RATE_LIMIT_PER_PARTICIPANT, defaults.limit),
    windowSeconds: positive(env.WIDGET_RATE_LIMIT_WINDOW_SECONDS, defaults.windowSeconds),
  };
}

/** Counts one message of a participant; used by the HTTP route and by the conversation object for socket frames. */
export function hitParticipant(env: Env, participantId: string): Promise<RateLimitDecision> {
  return durableObjectRateLimiter(env.RATE_LIMITER).hit(`widget-participant:${participantId}`, participantPolicy(env));
}

export function hitSessionIp(env: Env, ip: string): Promise<RateLimitDecision> {
  return durableObjectRateLimiter(env.RATE_LIMITER).hit(`widget-ip:${ip}`, WIDGET_LIMITS.ipSessions);
}

export function rateLimited(policy: RateLimitPolicy, decision: RateLimitDecision): ApiError {
  return new ApiError(429, 'rate_limited', `Too many requests: at most ${policy.limit} per ${policy.windowSeconds}s`, {
    retryAfterSeconds: decision.resetSeconds,
  });
}

/** Throws 429 with Retry-After when the decision refuses; sets the RateLimit headers either way. */
export function enforce(c: Context, policy: RateLimitPolicy, decision: RateLimitDecision): void {
  for (const [name, value] of Object.entries(rateLimitHeaders(policy, decision))) c.header(name, value);
  if (decision.allowed) return;
  c.header('Retry-After', String(decision.resetSeconds));
  throw rateLimited(policy, decision);
}

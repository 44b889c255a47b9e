import { database } from '../db/client.ts';
import type { RateLimitContext } from '../http/rate-limit.ts';
import { sessionTokenFrom } from './cookies.ts';
import { findActiveSession } from './sessions.ts';

/**
 * The person a request's session cookie signs in, for the per-person rate-limit bucket (worker/http/rate-limit.ts):
 * the dashboard must not share an office's per-IP budget. An invalid cookie gives none, so it counts per IP.
 */
export async function signedInUserId(c: RateLimitContext): Promise<string | undefined> {
  const token = sessionTokenFrom(c.req.header('cookie'));
  if (!token) return undefined;
  const session = await findActiveSession(database(c.env.DB), token, (p) => c.executionCtx.waitUntil(p));
  return session?.userId;
}

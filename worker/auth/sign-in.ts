import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Database } from '../db/client.ts';
import { users } from '../db/schema/index.ts';
import { ApiError } from '../http/errors.ts';
import { verifyPassword } from '../security/passwords.ts';
import { sessionCookie } from './cookies.ts';
import { SESSION_ABSOLUTE_MS } from './session-policy.ts';
import { type ClientInfo, createSession } from './sessions.ts';
import { clearPairFailures, lockedForSeconds, recordFailure, throttleBuckets } from './throttle.ts';

/**
 * A real PBKDF2 hash of a password nobody uses: verifying against it when the email is unknown costs the same
 * 100,000 iterations as a real check, so response time does not reveal which emails have accounts.
 */
const DUMMY_PASSWORD_HASH = 'pbkdf2-sha256$100000$WF4htyjKS3sNIDg5m53brg$RqghOhht9OwvedTppMf9Aje64v1jYIB2BLeAIjCK-sk';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export function clientInfo(c: Context): ClientInfo {
  return { ip: c.req.header('cf-connecting-ip') ?? null, userAgent: c.req.header('user-agent') ?? null };
}

function tooManyAttempts(c: Context, retryAfter: number): ApiError {
  c.header('Retry-After', String(retryAfter));
  return new ApiError(429, 'rate_limited', 'Too many failed sign-ins; try again later', { retryAfter });
}

/**
 * Checks an email and password under the sign-in throttle. Unknown email and wrong password fail alike (same
 * error, same work), and every failure counts against the (account, IP) pair and the client IP.
 */
export async function checkPassword(
  c: Context,
  db: Database,
  email: string,
  password: string,
): Promise<{ id: string; email: string; name: string }> {
  const buckets = throttleBuckets(email, clientInfo(c).ip);
  const wait = await lockedForSeconds(db, buckets);
  if (wait > 0) throw tooManyAttempts(c, wait);
  const user = await db.query.users.findFirst({
    where: eq(users.email, email),
    columns: { id: true, email: true, name: true, passwordHash: true },
  });
  const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !valid) {
    await recordFailure(db, buckets);
    throw new ApiError(401, 'invalid_credentials', 'Wrong email or password');
  }
  await clearPairFailures(db, buckets);
  return { id: user.id, email: user.email, name: user.name };
}

/** Starts a full session, sets the cookie, and returns what the dashboard needs to make requests. */
export async function signIn(c: Context, db: Database, user: { id: string; email: string; name: string }) {
  const session = await createSession(db, user.id, clientInfo(c));
  c.header('Set-Cookie', sessionCookie(c.req.url, session.token, SESSION_ABSOLUTE_MS / 1000), { append: true });
  return {
    twoFactorRequired: false as const,
    user,
    csrfToken: session.csrfToken,
    expiresAt: new Date(session.expiresAt).toISOString(),
  };
}

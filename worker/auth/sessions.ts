import { and, eq, gt, lt, lte, or } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { sessions, users } from '../db/schema/index.ts';
import { newId } from '../ids.ts';
import {
  SECOND_FACTOR_CHALLENGE_MS,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  SESSION_TOUCH_RESOLUTION_MS,
} from './session-policy.ts';
import { csrfTokenFor, hashToken, newToken } from './tokens.ts';

export interface NewSession {
  id: string;
  /** Goes into the cookie (or the `challenge` of a pending sign-in); never stored. */
  token: string;
  csrfToken: string;
  expiresAt: number;
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** Starts a session for `userId`; `pendingSecondFactor` makes it a short-lived TOTP challenge instead. */
export async function createSession(
  db: Database,
  userId: string,
  client: ClientInfo,
  options: { pendingSecondFactor?: boolean; now?: number } = {},
): Promise<NewSession> {
  const now = options.now ?? Date.now();
  const token = newToken();
  const pending = options.pendingSecondFactor ?? false;
  const expiresAt = now + (pending ? SECOND_FACTOR_CHALLENGE_MS : SESSION_ABSOLUTE_MS);
  const id = newId('ses', now);
  // The person's ended sessions go when a new one starts, so the table holds live sessions, not history.
  const ended = db
    .delete(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        or(lte(sessions.expiresAt, now), lte(sessions.lastSeenAt, now - SESSION_IDLE_MS)),
      ),
    );
  const insert = db.insert(sessions).values({
    id,
    userId,
    tokenHash: await hashToken(token),
    pendingSecondFactor: pending,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    ip: client.ip,
    // Enough to tell devices apart in a session list; a full header is unbounded.
    userAgent: client.userAgent?.slice(0, 200) ?? null,
  });
  await db.batch([ended, insert]);
  return { id, token, csrfToken: await csrfTokenFor(token), expiresAt };
}

export interface ActiveSession {
  id: string;
  userId: string;
  email: string;
  name: string;
  expiresAt: number;
  csrfToken: string;
}

/** The live (complete, unexpired, not idle) session behind a cookie token, sliding its idle window. */
export async function findActiveSession(
  db: Database,
  token: string,
  waitUntil: (promise: Promise<unknown>) => void,
  now = Date.now(),
): Promise<ActiveSession | null> {
  const [row] = await db
    .select({
      id: sessions.id,
      userId: sessions.userId,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      pending: sessions.pendingSecondFactor,
      email: users.email,
      name: users.name,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenHash, await hashToken(token)))
    .limit(1);
  if (!row || row.pending || row.expiresAt <= now || row.lastSeenAt + SESSION_IDLE_MS <= now) return null;
  if (row.lastSeenAt < now - SESSION_TOUCH_RESOLUTION_MS) {
    waitUntil(
      db
        .update(sessions)
        .set({ lastSeenAt: now })
        .where(and(eq(sessions.id, row.id), lt(sessions.lastSeenAt, now - SESSION_TOUCH_RESOLUTION_MS)))
        .run(),
    );
  }
  return {
    id: row.id,
    userId: row.userId,
    email: row.email,
    name: row.name,
    expiresAt: row.expiresAt,
    csrfToken: await csrfTokenFor(token),
  };
}

/** The user waiting on a TOTP challenge, consuming the challenge row only when `consume` (after a good code). */
export async function findChallenge(db: Database, challenge: string, now = Date.now()) {
  const row = await db.query.sessions.findFirst({
    where: and(eq(sessions.tokenHash, await hashToken(challenge)), gt(sessions.expiresAt, now)),
    columns: { id: true, userId: true, pendingSecondFactor: true },
  });
  return row?.pendingSecondFactor ? row : null;
}

export async function deleteSession(db: Database, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

export async function deleteSessionsOfUser(db: Database, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId)).run();
}

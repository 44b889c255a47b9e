import { and, asc, eq } from 'drizzle-orm';
import { database } from '../db/client.ts';
import { memberships, type Role, teams } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { constantTimeEqual } from '../security/constant-time.ts';
import { sessionTokenFrom } from './cookies.ts';
import { CSRF_HEADER, TEAM_HEADER } from './session-policy.ts';
import { type ActiveSession, findActiveSession } from './sessions.ts';

/** The part of a Hono context these checks read, so any route's context (whatever its variables) fits. */
export interface RequestContext {
  env: Env;
  req: { header(name: string): string | undefined; method: string; url: string };
  executionCtx: { waitUntil(promise: Promise<unknown>): void };
}
type AnyContext = RequestContext;

export function hasSessionCookie(c: AnyContext): boolean {
  return sessionTokenFrom(c.req.header('cookie')) !== null;
}

/** The signed-in person behind the `parley_session` cookie, or 401. */
export async function authenticateSession(c: AnyContext): Promise<ActiveSession> {
  const token = sessionTokenFrom(c.req.header('cookie'));
  if (!token) throw new ApiError(401, 'unauthorized', 'Not signed in');
  const session = await findActiveSession(database(c.env.DB), token, (promise) => c.executionCtx.waitUntil(promise));
  if (!session) throw new ApiError(401, 'unauthorized', 'Session expired or signed out; sign in again');
  return session;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** This request's origin and, behind a tunnel or proxy that rewrites the host, the configured PUBLIC_URL's. */
function ownOrigins(c: AnyContext): string[] {
  const origins = [new URL(c.req.url).origin];
  if (c.env.PUBLIC_URL) {
    try {
      origins.push(new URL(c.env.PUBLIC_URL).origin);
    } catch {
      // A malformed PUBLIC_URL adds nothing; the request's own origin still works.
    }
  }
  return origins;
}

/**
 * Cookie-authenticated writes must prove they come from our own pages: `X-CSRF-Token` equal to the session's token
 * (a cross-site page cannot read it, nor set custom headers without a CORS preflight we never grant) and, when the
 * browser sends one, an `Origin` equal to this request's origin. SameSite=Lax is the first line; this is the second.
 */
export function assertCsrf(c: AnyContext, session: ActiveSession): void {
  // Checked on reads too: browsers send Origin on cross-origin fetches and WebSocket handshakes, and a page elsewhere
  // must not open a conversation's socket with the person's cookie (cross-site WebSocket hijacking).
  const origin = c.req.header('origin');
  if (origin !== undefined && !ownOrigins(c).includes(origin)) {
    throw new ApiError(403, 'csrf_failed', 'Origin does not match this site');
  }
  if (SAFE_METHODS.has(c.req.method)) return;
  const token = c.req.header(CSRF_HEADER) ?? '';
  if (!constantTimeEqual(token, session.csrfToken)) {
    throw new ApiError(403, 'csrf_failed', `Missing or wrong ${CSRF_HEADER} header for this session`);
  }
}

export interface Membership {
  teamId: string;
  teamName: string;
  teamSlug: string;
  role: Role;
}

export async function membershipsOf(c: AnyContext, userId: string): Promise<Membership[]> {
  return database(c.env.DB)
    .select({ teamId: teams.id, teamName: teams.name, teamSlug: teams.slug, role: memberships.role })
    .from(memberships)
    .innerJoin(teams, eq(teams.id, memberships.teamId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(teams.id));
}

/**
 * The team a signed-in request acts on: `X-Parley-Team` (the dashboard's team switcher) or the person's first team.
 * A team they do not belong to is a 403 that says nothing about whether it exists.
 */
export async function currentMembership(c: AnyContext, userId: string): Promise<Membership> {
  const requested = c.req.header(TEAM_HEADER);
  if (requested) {
    const [row] = await database(c.env.DB)
      .select({ teamId: teams.id, teamName: teams.name, teamSlug: teams.slug, role: memberships.role })
      .from(memberships)
      .innerJoin(teams, eq(teams.id, memberships.teamId))
      .where(and(eq(memberships.userId, userId), eq(memberships.teamId, requested)))
      .limit(1);
    if (!row) throw new ApiError(403, 'forbidden', 'You are not a member of that team', { team: requested });
    return row;
  }
  const [first] = await membershipsOf(c, userId);
  if (!first) throw new ApiError(403, 'forbidden', 'You are not a member of any team');
  return first;
}

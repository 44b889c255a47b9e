import { createMiddleware } from 'hono/factory';
import type { ApiKeyScope, Role } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { systemClock } from '../ports/clock.ts';
import { isWellFormedApiKey } from '../security/api-keys.ts';
import { apiKeyCache, recentlyVerifiedApiKeys, unknownApiKeys } from './api-key-cache.ts';
import { verifyApiKey } from './api-key-verify.ts';
import { type Permission, roleAllows, scopePermission, scopesAllow } from './permissions.ts';
import {
  assertCsrf,
  authenticateSession,
  currentMembership,
  hasSessionCookie,
  type RequestContext,
} from './session-auth.ts';
import type { ActiveSession } from './sessions.ts';

/** Who made a request: an API key, or a person signed in to the dashboard (worker/auth). */
export type Actor =
  | { type: 'api_key'; id: string; label: string }
  | { type: 'user'; id: string; label: string; role: Role; sessionId: string };

/** `c.var.auth`: the team every query is scoped to, and who acts on it. */
export interface ApiKeyAuth {
  teamId: string;
  /** The API key's id; null when a signed-in person makes the request (see `actor`). */
  keyId: string | null;
  /** The key's scopes; for a person, the scopes their role fully covers (worker/auth/permissions.ts). */
  scopes: readonly ApiKeyScope[];
  actor: Actor;
}

export type AuthVariables = { auth: ApiKeyAuth; session?: ActiveSession };

declare module '../http/app.ts' {
  /** `c.var.auth` and `c.var.session` on every route (worker/http/app.ts names no feature's variables). */
  interface AppVariables extends AuthVariables {}
}

/** `admin` holds every scope; other scopes are independent, so a chat-only key cannot read other conversations. */
export function hasScope(auth: Pick<ApiKeyAuth, 'scopes'>, scope: ApiKeyScope): boolean {
  return auth.scopes.includes('admin') || auth.scopes.includes(scope);
}

/** The API-key scopes a role covers entirely, so code that asks `hasScope` answers the same for people. */
export function roleScopes(role: Role): ApiKeyScope[] {
  if (roleAllows(role, 'configure')) return ['admin'];
  return (['read', 'chat'] as const).filter((scope) => roleAllows(role, scopePermission[scope]));
}

/**
 * Authenticates `Authorization: Bearer prl_…` and requires `scope`, or — without that header — the dashboard's
 * session cookie, requiring the person's role in the team to grant `permission` (by default the scope's own
 * permission; worker/auth/permissions.ts). Sets `c.var.auth`. Tagged with `apiKeyScope` so the OpenAPI document can
 * say which scope each route needs (route-scopes.ts), and with `permission` for the dashboard's matrix.
 */
export const requireApiKey = (scope: ApiKeyScope, permission: Permission = scopePermission[scope]) =>
  Object.assign(authMiddleware(scope, permission), { apiKeyScope: scope, permission });

const authMiddleware = (scope: ApiKeyScope, permission: Permission) =>
  createMiddleware<{ Bindings: Env; Variables: AuthVariables }>(async (c, next) => {
    if (!c.req.header('authorization') && hasSessionCookie(c)) {
      const session = await authenticateSession(c);
      assertCsrf(c, session);
      const membership = await currentMembership(c, session.userId);
      if (!roleAllows(membership.role, permission)) {
        throw new ApiError(403, 'forbidden', `Your role (${membership.role}) does not allow this`, {
          required: permission,
          role: membership.role,
        });
      }
      c.set('session', session);
      c.set('auth', {
        teamId: membership.teamId,
        keyId: null,
        scopes: roleScopes(membership.role),
        actor: {
          type: 'user',
          id: session.userId,
          label: session.email,
          role: membership.role,
          sessionId: session.id,
        },
      });
      return next();
    }
    const auth = await authenticateApiKey(c);
    if (!hasScope(auth, scope) || !scopesAllow(auth.scopes, permission)) {
      throw new ApiError(403, 'forbidden', `This API key lacks the "${scope}" scope`, { required: scope });
    }
    c.set('auth', auth);
    await next();
  });

async function authenticateApiKey(c: RequestContext): Promise<ApiKeyAuth> {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new ApiError(401, 'unauthorized', 'Missing Authorization: Bearer <API key> header');
  const key = match[1];
  if (!isWellFormedApiKey(key)) throw new ApiError(401, 'unauthorized', 'Invalid API key');
  const verified = await verifyApiKey(
    {
      db: c.env.DB,
      cache: apiKeyCache,
      unknown: unknownApiKeys,
      recent: recentlyVerifiedApiKeys,
      clock: systemClock,
      waitUntil: (promise) => c.executionCtx.waitUntil(promise),
    },
    key,
  );
  if (!verified) throw new ApiError(401, 'unauthorized', 'Invalid API key');
  return {
    teamId: verified.teamId,
    keyId: verified.keyId,
    scopes: verified.scopes,
    actor: { type: 'api_key', id: verified.keyId, label: `${verified.name} (${verified.prefix}…)` },
  };
}

/**
 * For the account routes (/api/v1/auth/…): a signed-in person, whatever their teams; CSRF-checked on writes.
 * Sets `c.var.session`. API keys do not pass: a key belongs to a team, not to a person.
 */
export const requireSession = () =>
  createMiddleware<{ Bindings: Env; Variables: AuthVariables }>(async (c, next) => {
    const session = await authenticateSession(c);
    assertCsrf(c, session);
    c.set('session', session);
    await next();
  });

import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { database } from '../db/client.ts';
import { type ApiKeyScope, apiKeys } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { API_KEY_PREFIX, hashApiKey } from '../security/api-keys.ts';
import { ApiError } from './errors.ts';

export interface ApiKeyAuth {
  teamId: string;
  keyId: string;
  scopes: readonly ApiKeyScope[];
}

export type AuthVariables = { auth: ApiKeyAuth };

// Recording every use would add a D1 write to every request; once a minute is enough to show "last used".
const LAST_USED_RESOLUTION_MS = 60_000;

/** `admin` holds every scope; other scopes are independent, so a chat-only key cannot read other conversations. */
export function hasScope(auth: ApiKeyAuth, scope: ApiKeyScope): boolean {
  return auth.scopes.includes('admin') || auth.scopes.includes(scope);
}

/** Authenticates `Authorization: Bearer prl_…` and requires `scope`. Sets `c.var.auth`. */
/** Tagged with `apiKeyScope` so the OpenAPI document can say which scope each route needs (route-scopes.ts). */
export const requireApiKey = (scope: ApiKeyScope) => Object.assign(apiKeyMiddleware(scope), { apiKeyScope: scope });

const apiKeyMiddleware = (scope: ApiKeyScope) =>
  createMiddleware<{ Bindings: Env; Variables: AuthVariables }>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new ApiError(401, 'unauthorized', 'Missing Authorization: Bearer <API key> header');
    const key = match[1];
    if (!key.startsWith(API_KEY_PREFIX) || key.length > 100) throw new ApiError(401, 'unauthorized', 'Invalid API key');
    const db = database(c.env.DB);
    const row = await db.query.apiKeys.findFirst({
      where: and(eq(apiKeys.keyHash, await hashApiKey(key)), isNull(apiKeys.revokedAt)),
      columns: { id: true, teamId: true, scopes: true, lastUsedAt: true },
    });
    if (!row) throw new ApiError(401, 'unauthorized', 'Invalid API key');
    const auth: ApiKeyAuth = { teamId: row.teamId, keyId: row.id, scopes: row.scopes };
    if (!hasScope(auth, scope)) {
      throw new ApiError(403, 'forbidden', `This API key lacks the "${scope}" scope`, { required: scope });
    }
    const now = Date.now();
    if (!row.lastUsedAt || row.lastUsedAt < now - LAST_USED_RESOLUTION_MS) {
      c.executionCtx.waitUntil(
        db
          .update(apiKeys)
          .set({ lastUsedAt: now })
          .where(
            and(
              eq(apiKeys.id, row.id),
              or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, now - LAST_USED_RESOLUTION_MS)),
            ),
          )
          .run(),
      );
    }
    c.set('auth', auth);
    await next();
  });

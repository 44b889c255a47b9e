import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes, routePath } from 'hono/route';
import { database } from '../db/client.ts';
import { auditLog } from '../db/schema/index.ts';
import type { AppEnv } from '../http/app.ts';
import { newId } from '../ids.ts';
import { auditName, changesFromBody } from './audit-summary.ts';
import type { Permission } from './permissions.ts';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Conversation traffic (routes guarded by the `chat` permission: starting conversations, sending messages, tags,
 * participants) is recorded in the conversations themselves; the audit log is for changes to the team's setup.
 */
const UNAUDITED: ReadonlySet<Permission> = new Set(['chat']);

function routePermission(c: Context): Permission | null {
  for (const route of matchedRoutes(c)) {
    const permission = (route.handler as { permission?: Permission }).permission;
    if (permission) return permission;
  }
  return null;
}

/** The id a create returned, when the route path has none (`POST /api/v1/chatbots` → the new chatbot's id). */
async function createdId(res: Response): Promise<string | null> {
  if (!res.headers.get('content-type')?.includes('application/json')) return null;
  try {
    const body = (await res.clone().json()) as { id?: unknown };
    return typeof body.id === 'string' ? body.id : null;
  } catch {
    return null;
  }
}

async function requestBody(c: Context): Promise<unknown> {
  if (!c.req.header('content-type')?.includes('application/json')) return null;
  try {
    // Already parsed by the route's validator; Hono returns its cached copy.
    return await c.req.json();
  } catch {
    return null;
  }
}

/**
 * One middleware over /api/v1 records every successful write by an API key or a signed-in person: who, which
 * route, the status, the target from the path (or the created id), the fields set (secrets redacted) and the IP.
 * Awaited, not deferred: the change has happened, and its record must not be lost with the isolate.
 */
export const auditMutations = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (READ_METHODS.has(c.req.method) || c.res.status >= 400) return;
  const auth = c.get('auth') as AppEnv['Variables']['auth'] | undefined;
  if (!auth) return;
  const permission = routePermission(c);
  if (permission && UNAUDITED.has(permission)) return;
  const route = routePath(c, -1);
  const name = auditName(c.req.method, route, c.req.param() as Record<string, string>);
  const targetId = name.targetId ?? (c.req.method === 'POST' ? await createdId(c.res) : null);
  try {
    await database(c.env.DB)
      .insert(auditLog)
      .values({
        id: newId('aud'),
        teamId: auth.teamId,
        actorType: auth.actor.type,
        actorId: auth.actor.id,
        actorLabel: auth.actor.label,
        action: name.action,
        route: `${c.req.method} ${route.replace(/:(\w+)/g, '{$1}')}`,
        status: c.res.status,
        targetType: name.targetType ?? (targetId ? (name.action.split('.')[0] ?? null) : null),
        targetId,
        changes: changesFromBody(await requestBody(c)),
        ip: c.req.header('cf-connecting-ip') ?? null,
        createdAt: Date.now(),
      })
      .run();
  } catch (error) {
    console.error(
      JSON.stringify({ level: 'error', message: 'audit write failed', route, error: (error as Error).message }),
    );
  }
});

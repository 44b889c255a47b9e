import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { matchedRoutes, routePath } from 'hono/route';
import type { Permission } from '../auth/permissions.ts';
import { database } from '../db/client.ts';
import { auditLog } from '../db/schema/index.ts';
import type { AppEnv } from '../http/app.ts';
import { newId } from '../ids.ts';
import { auditName, changesFromBody, changesFromDiff } from './summary.ts';

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

/**
 * The body as the route's validator accepted it (unknown fields stripped), never the raw request: a field the
 * schema does not know was never applied. Undefined when the route validates no JSON body.
 */
function validatedBody(c: Context): unknown {
  try {
    return (c.req.valid as (target: 'json') => unknown)('json');
  } catch {
    return undefined;
  }
}

/**
 * One middleware over /api/v1 records every successful write by an API key or a signed-in person: who, which
 * route, the status, the target from the path (or the created id), what changed (secrets redacted) and the IP.
 * A route that knows the change sets `auditChange` ({before, after}) and only differing fields are kept; a no-op
 * (nothing differs) is not recorded. Other writes record the validated body's fields. Awaited, not deferred: the change has happened, and its record must not be lost with the isolate.
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
  const reported = c.get('auditChange');
  const changes = reported ? changesFromDiff(reported) : changesFromBody(validatedBody(c));
  if (reported && !changes) return;
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
        changes,
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

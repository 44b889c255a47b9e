import { and, asc, isNotNull, isNull, lt, or } from 'drizzle-orm';
import { type Database, database } from '../db/client.ts';
import { customActions } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { outboundFetch } from '../security/outbound-fetch.ts';
import { type ActionAuth, openAuth, redact, secretValues, withAuth } from './auth.ts';
import { type CustomActionRow, updateAction } from './store.ts';

/** Each action with a health URL is checked once an hour (issue 18: "an optional health check is polled"). */
export const HEALTH_INTERVAL_MS = 60 * 60_000;
/** A health endpoint slower than this is reported failing: it answers a GET with no work to do. */
const HEALTH_TIMEOUT_MS = 10_000;
/**
 * Checks per cron run. The job runs every 5 minutes and takes the stalest due actions, so up to 480 an hour stay
 * current; 40 keeps a run under the free plan's 50 subrequests per invocation
 * (developers.cloudflare.com/workers/platform/limits/#subrequests) with D1's queries on top.
 */
export const MAX_CHECKS_PER_RUN = 40;
/** Checks in flight at once: a Worker invocation has at most 6 simultaneous open connections. */
const CONCURRENCY = 6;

export interface HealthOutcome {
  status: 'ok' | 'failing';
  message: string;
}

/**
 * One GET of the action's health URL. The action's auth is sent only when the URL is on the base URL's origin, so a
 * health URL elsewhere never receives the API's credentials; the result is stored on the row.
 */
export async function checkHealth(env: Env, db: Database, row: CustomActionRow, now = Date.now()) {
  if (!row.healthUrl) return null;
  let outcome: HealthOutcome;
  let secrets: string[] = [];
  try {
    const sameOrigin = new URL(row.healthUrl).origin === new URL(row.baseUrl).origin;
    const auth: ActionAuth = sameOrigin ? await openAuth(env, row.teamId, row.id, row.sealedAuth) : { kind: 'none' };
    secrets = secretValues(auth);
    const { request } = await withAuth(env, { teamId: row.teamId, actionId: row.id, updatedAt: row.updatedAt }, auth, {
      method: 'GET',
      url: row.healthUrl,
      headers: {},
    });
    const response = await outboundFetch(env)(request.url, {
      headers: request.headers,
      signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
    });
    await response.body?.cancel();
    outcome = response.ok
      ? { status: 'ok', message: `HTTP ${response.status}` }
      : { status: 'failing', message: `HTTP ${response.status}` };
  } catch (error) {
    const message = error instanceof Error ? error.message : 'the check failed';
    outcome = { status: 'failing', message: redact(message, secrets).slice(0, 300) };
  }
  await updateAction(db, row.teamId, row.id, {
    healthStatus: outcome.status,
    healthMessage: outcome.message,
    healthCheckedAt: now,
  });
  return outcome;
}

/** The periodic job: the stalest actions whose last check is an hour old (or never ran), at most MAX_CHECKS_PER_RUN. */
export async function runHealthChecks(env: Env, now: number): Promise<number> {
  const db = database(env.DB);
  const due = await db
    .select()
    .from(customActions)
    .where(
      // A minute of slack: a check stored at 10:00:01 is due again on the 11:00 run, not on 11:05.
      and(
        isNotNull(customActions.healthUrl),
        or(isNull(customActions.healthCheckedAt), lt(customActions.healthCheckedAt, now - HEALTH_INTERVAL_MS + 60_000)),
      ),
    )
    .orderBy(asc(customActions.healthCheckedAt))
    .limit(MAX_CHECKS_PER_RUN);
  for (let i = 0; i < due.length; i += CONCURRENCY)
    await Promise.all(due.slice(i, i + CONCURRENCY).map((row) => checkHealth(env, db, row, now)));
  return due.length;
}

import type { Env } from '../env.ts';
import { ARCHIVE_PREFIX } from './archive-sink.ts';

/**
 * Archive retention (issue 19 §2, docs/scaling.md "Message archive"): with ARCHIVE_RETENTION_DAYS=N the Cron Trigger
 * deletes every `archive/<teamId>/<yyyy-mm-dd>/` day prefix older than N days, once per UTC day. A pass is bounded per
 * invocation and resumable: its progress (the last team prefix finished) is kept in one R2 object, and the next
 * minute's invocation continues after it until every team was visited. Unset or 0: nothing runs, nothing is read.
 * The alternative that costs no invocation at all is an R2 lifecycle rule on `archive/` (one age for every team).
 */

/** Where a pass's progress is kept (outside `archive/`, so it never lists as a team). */
export const RETENTION_STATE_KEY = 'archive-retention/state.json';

/**
 * Subrequests per invocation for retention: the cron invocation shares its 1,000 subrequests
 * (developers.cloudflare.com/workers/platform/limits) with the other periodic jobs (worker/schedules/cron.ts).
 */
export const RETENTION_SUBREQUESTS = 200;

/** R2 lists and deletes at most 1,000 keys per call (developers.cloudflare.com/r2/api/workers/workers-api-reference). */
const R2_PAGE = 1_000;

interface RetentionState {
  /** The UTC day the pass is for. */
  day: string;
  /** The last team prefix the pass finished; null at the start. */
  after: string | null;
  finished: boolean;
}

export interface RetentionStep {
  /** Day prefixes deleted by this invocation. */
  deleted: string[];
  finished: boolean;
}

/** N from ARCHIVE_RETENTION_DAYS, or null when retention is off (unset, 0, not a whole number). */
export function retentionDays(value: string | undefined): number | null {
  const days = Number(value);
  return Number.isInteger(days) && days > 0 ? days : null;
}

/** The oldest day kept: day prefixes before it are deleted (`yyyy-mm-dd` compares as text in date order). */
export function oldestKeptDay(now: number, days: number): string {
  return new Date(now - days * 86_400_000).toISOString().slice(0, 10);
}

/** One bounded step of today's pass; null when retention is off or today's pass already finished. */
export async function pruneArchive(
  env: Pick<Env, 'FILES' | 'ARCHIVE_RETENTION_DAYS'>,
  now: number,
  budget = RETENTION_SUBREQUESTS,
): Promise<RetentionStep | null> {
  const days = retentionDays(env.ARCHIVE_RETENTION_DAYS);
  if (days === null) return null;
  const bucket = env.FILES;
  let left = budget - 1;
  const today = new Date(now).toISOString().slice(0, 10);
  const stored = await bucket.get(RETENTION_STATE_KEY);
  const previous = stored ? ((await stored.json()) as RetentionState) : null;
  if (previous?.day === today && previous.finished) return null;
  const state: RetentionState = previous?.day === today ? previous : { day: today, after: null, finished: false };
  const keepFrom = oldestKeptDay(now, days);
  const deleted: string[] = [];
  let teamCursor: string | undefined;
  passing: for (;;) {
    if (left < 1) break;
    left--;
    // Team prefixes after the last one finished: `archive/<teamId>/`.
    const teams = await bucket.list({
      prefix: ARCHIVE_PREFIX,
      delimiter: '/',
      ...(teamCursor ? { cursor: teamCursor } : state.after ? { startAfter: pastPrefix(state.after) } : {}),
    });
    for (const team of teams.delimitedPrefixes) {
      const pruned = await pruneTeam(bucket, team, keepFrom, deleted, left);
      left = pruned.left;
      if (!pruned.done) break passing;
      state.after = team;
    }
    if (!teams.truncated) {
      state.finished = true;
      break;
    }
    teamCursor = teams.cursor;
  }
  await bucket.put(RETENTION_STATE_KEY, JSON.stringify(state), { httpMetadata: { contentType: 'application/json' } });
  return { deleted, finished: state.finished };
}

/**
 * A key after every key under `prefix` (which ends in `/`) and before the next team's: `/` is 0x2F, `0` is 0x30, and
 * R2 orders keys by their UTF-8 bytes.
 */
function pastPrefix(prefix: string): string {
  return `${prefix.slice(0, -1)}0`;
}

/** Deletes `team`'s day prefixes before `keepFrom` within `left` subrequests. */
async function pruneTeam(
  bucket: R2Bucket,
  team: string,
  keepFrom: string,
  deleted: string[],
  left: number,
): Promise<{ done: boolean; left: number }> {
  let cursor: string | undefined;
  for (;;) {
    if (left < 1) return { done: false, left };
    left--;
    const listing = await bucket.list({ prefix: team, delimiter: '/', ...(cursor && { cursor }) });
    for (const day of listing.delimitedPrefixes) {
      // `archive/<teamId>/<yyyy-mm-dd>/`: listed in order, so the first day kept ends the team.
      if (day.slice(team.length, -1) >= keepFrom) return { done: true, left };
      for (;;) {
        if (left < 2) return { done: false, left };
        left -= 2;
        const objects = await bucket.list({ prefix: day, limit: R2_PAGE });
        if (objects.objects.length > 0) await bucket.delete(objects.objects.map((object) => object.key));
        if (!objects.truncated) break;
      }
      deleted.push(day);
    }
    if (!listing.truncated) return { done: true, left };
    cursor = listing.cursor;
  }
}

import { inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { signInFailures } from '../db/schema/index.ts';

/**
 * Failed sign-ins are counted per account and per client IP in D1, in fixed 15-minute windows. Not the RateLimiter
 * port: it counts every request and cannot look without counting, and its in-memory windows vanish when the object
 * is evicted, which an attacker pausing between guesses would exploit. Five failures per account per 15 minutes
 * (OWASP Authentication Cheat Sheet, "Account Lockout": a threshold and an observation window, then a timed lock);
 * more per IP, since many people can share one address.
 */
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const FAILURES_PER_ACCOUNT = 5;
export const FAILURES_PER_IP = 20;

export interface ThrottleBuckets {
  account: string;
  ip: string;
}

export function throttleBuckets(email: string, ip: string | null): ThrottleBuckets {
  return { account: `account:${email}`, ip: `ip:${ip ?? 'unknown'}` };
}

/** Seconds until sign-in may be tried again, or 0 when neither bucket is over its limit. */
export async function lockedForSeconds(db: Database, buckets: ThrottleBuckets, now = Date.now()): Promise<number> {
  const rows = await db
    .select()
    .from(signInFailures)
    .where(inArray(signInFailures.bucket, [buckets.account, buckets.ip]));
  let wait = 0;
  for (const row of rows) {
    const limit = row.bucket === buckets.account ? FAILURES_PER_ACCOUNT : FAILURES_PER_IP;
    const endsAt = row.windowStart + SIGN_IN_WINDOW_MS;
    if (row.failures >= limit && endsAt > now) wait = Math.max(wait, Math.ceil((endsAt - now) / 1000));
  }
  return wait;
}

/** Counts one failure in both buckets, starting a fresh window where the old one has ended. */
export async function recordFailure(db: Database, buckets: ThrottleBuckets, now = Date.now()): Promise<void> {
  const expired = now - SIGN_IN_WINDOW_MS;
  const upsert = (bucket: string) =>
    db
      .insert(signInFailures)
      .values({ bucket, windowStart: now, failures: 1 })
      .onConflictDoUpdate({
        target: signInFailures.bucket,
        set: {
          failures: sql`CASE WHEN ${signInFailures.windowStart} <= ${expired} THEN 1 ELSE ${signInFailures.failures} + 1 END`,
          windowStart: sql`CASE WHEN ${signInFailures.windowStart} <= ${expired} THEN ${now} ELSE ${signInFailures.windowStart} END`,
        },
      });
  // Ended windows are dead weight (a password spray leaves one per email tried); failures are rare enough to sweep here.
  const prune = db.delete(signInFailures).where(lt(signInFailures.windowStart, expired - SIGN_IN_WINDOW_MS));
  await db.batch([upsert(buckets.account), upsert(buckets.ip), prune]);
}

/** A successful sign-in clears the account's count (not the IP's: one good password must not unlock guessing). */
export async function clearAccountFailures(db: Database, buckets: ThrottleBuckets): Promise<void> {
  await db
    .delete(signInFailures)
    .where(inArray(signInFailures.bucket, [buckets.account]))
    .run();
}

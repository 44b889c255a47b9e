import { eq, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { signInFailures } from '../db/schema/index.ts';

/**
 * Failed sign-ins are counted in D1 in two buckets (not the RateLimiter port: it counts every request, cannot look
 * without counting, and its in-memory windows vanish when the object is evicted, which a patient guesser exploits):
 *
 * - per (account, IP): a few free failures, then each further failure makes that pair wait 2^k seconds (capped)
 *   before the next try. Only the guesser's own address is slowed, so a stranger cannot lock the owner out by
 *   failing on purpose from elsewhere (OWASP Authentication Cheat Sheet, "Account Lockout": lockouts an attacker
 *   can trigger are a denial of service; prefer exponential delay). `windowStart` holds the latest failure here.
 * - per IP: 20 failures in a fixed 15-minute window, against one address spraying many accounts; more than five,
 *   since many people can share an address.
 */
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const FAILURES_PER_IP = 20;
/** Failures of one (account, IP) pair answered without delay: typos and a forgotten caps lock. */
export const FREE_FAILURES = 3;
/** The longest delay between tries of one pair: 15 minutes, the length of the per-IP window. */
export const MAX_DELAY_SECONDS = 15 * 60;
/** A pair with no failure for a day starts again from its free failures. */
export const PAIR_MEMORY_MS = 24 * 60 * 60 * 1000;

export interface ThrottleBuckets {
  pair: string;
  ip: string;
}

export function throttleBuckets(email: string, ip: string | null): ThrottleBuckets {
  const address = ip ?? 'unknown';
  return { pair: `pair:${address}:${email}`, ip: `ip:${address}` };
}

/**
 * Wrong TOTP codes are counted per account, whatever the IP: only someone who already passed the password reaches
 * this step, so the owner cannot be locked out by a stranger, and six digits spread over many IPs stay slow.
 */
export function secondFactorBuckets(userId: string, ip: string | null): ThrottleBuckets {
  return { pair: `totp:${userId}`, ip: `ip:${ip ?? 'unknown'}` };
}

/** Seconds a pair must wait after its latest failure, once it has `failures`: 0, 0, 0, 2, 4, 8, … up to the cap. */
export function delayAfter(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return Math.min(2 ** (failures - FREE_FAILURES), MAX_DELAY_SECONDS);
}

/** Seconds until sign-in may be tried again from this pair, or 0 when neither bucket holds it back. */
export async function lockedForSeconds(db: Database, buckets: ThrottleBuckets, now = Date.now()): Promise<number> {
  const rows = await db
    .select()
    .from(signInFailures)
    .where(inArray(signInFailures.bucket, [buckets.pair, buckets.ip]));
  let waitMs = 0;
  for (const row of rows) {
    const until =
      row.bucket === buckets.pair
        ? row.windowStart + delayAfter(row.failures) * 1000
        : row.failures >= FAILURES_PER_IP
          ? row.windowStart + SIGN_IN_WINDOW_MS
          : 0;
    waitMs = Math.max(waitMs, until - now);
  }
  return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
}

/** Counts one failure in both buckets: the pair's count grows (forgotten after a day), the IP's window restarts when ended. */
export async function recordFailure(db: Database, buckets: ThrottleBuckets, now = Date.now()): Promise<void> {
  const ipExpired = now - SIGN_IN_WINDOW_MS;
  const pairExpired = now - PAIR_MEMORY_MS;
  const pair = db
    .insert(signInFailures)
    .values({ bucket: buckets.pair, windowStart: now, failures: 1 })
    .onConflictDoUpdate({
      target: signInFailures.bucket,
      set: {
        failures: sql`CASE WHEN ${signInFailures.windowStart} <= ${pairExpired} THEN 1 ELSE ${signInFailures.failures} + 1 END`,
        windowStart: now,
      },
    });
  const ip = db
    .insert(signInFailures)
    .values({ bucket: buckets.ip, windowStart: now, failures: 1 })
    .onConflictDoUpdate({
      target: signInFailures.bucket,
      set: {
        failures: sql`CASE WHEN ${signInFailures.windowStart} <= ${ipExpired} THEN 1 ELSE ${signInFailures.failures} + 1 END`,
        windowStart: sql`CASE WHEN ${signInFailures.windowStart} <= ${ipExpired} THEN ${now} ELSE ${signInFailures.windowStart} END`,
      },
    });
  // Rows older than the longest memory are dead weight (a password spray leaves one per email tried); failures are
  // rare enough to sweep here.
  const prune = db.delete(signInFailures).where(lt(signInFailures.windowStart, pairExpired));
  await db.batch([pair, ip, prune]);
}

/** A successful sign-in clears its pair's count (not the IP's: one good password must not unlock guessing). */
export async function clearPairFailures(db: Database, buckets: ThrottleBuckets): Promise<void> {
  await db.delete(signInFailures).where(eq(signInFailures.bucket, buckets.pair)).run();
}

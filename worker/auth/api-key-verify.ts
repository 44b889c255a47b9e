import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { database } from '../db/client.ts';
import { apiKeys } from '../db/schema/index.ts';
import type { Clock } from '../ports/clock.ts';
import type { IsolateCache } from '../ports/isolate-cache.ts';
import { hashApiKey } from '../security/api-keys.ts';
import type { VerifiedApiKey } from './api-key-cache.ts';

// Recording every use would add a D1 write to every request; once a minute is enough to show "last used".
export const LAST_USED_RESOLUTION_MS = 60_000;

export interface VerifyApiKeyDeps {
  /** The control-plane database (`env.DB`). */
  db: D1Database;
  cache: IsolateCache<VerifiedApiKey>;
  /** Hashes D1 did not know, recently: answered null without a read (api-key-cache.ts). */
  unknown: IsolateCache<true>;
  /** Team ids of keys verified recently, for the rate limiter's per-key bucket (api-key-cache.ts). */
  recent: IsolateCache<string>;
  clock: Pick<Clock, 'now'>;
  /** Where the `last_used_at` write goes, so the request does not wait for it. */
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * The key's grant, or null when no unrevoked key has this hash. A hit in the isolate's cache answers without D1
 * (api-key-cache.ts says how long it may lag a revocation made elsewhere); a miss reads D1, unless the hash was
 * unknown to D1 moments ago (`unknown`, a cache of its own so that made-up keys cannot push real ones out). `last_used_at` is written at most once per LAST_USED_RESOLUTION_MS per key and isolate, in the background.
 */
export async function verifyApiKey(deps: VerifyApiKeyDeps, key: string): Promise<VerifiedApiKey | null> {
  const keyHash = await hashApiKey(key);
  let verified = deps.cache.get(keyHash);
  if (!verified) {
    if (deps.unknown.get(keyHash)) return null;
    // Taken before the read: a revocation landing while it is in flight keeps its result out of the cache.
    const epoch = deps.cache.evictionEpoch;
    const recentEpoch = deps.recent.evictionEpoch;
    const row = await database(deps.db).query.apiKeys.findFirst({
      where: and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)),
      columns: { id: true, teamId: true, name: true, prefix: true, scopes: true, lastUsedAt: true },
    });
    if (!row) {
      // Revoked through another isolate: it stops counting per key here too.
      deps.recent.delete(keyHash);
      deps.unknown.set(keyHash, true);
      return null;
    }
    verified = {
      teamId: row.teamId,
      keyId: row.id,
      scopes: row.scopes,
      name: row.name,
      prefix: row.prefix,
      lastUsedAt: row.lastUsedAt,
    };
    deps.cache.set(keyHash, verified, { unlessEvictedSince: epoch });
    deps.recent.set(keyHash, verified.teamId, { unlessEvictedSince: recentEpoch });
  }
  const now = deps.clock.now();
  if (verified.lastUsedAt === null || verified.lastUsedAt < now - LAST_USED_RESOLUTION_MS) {
    // The cached copy records the write too, so the next requests of this minute skip it.
    verified.lastUsedAt = now;
    deps.waitUntil(
      database(deps.db)
        .update(apiKeys)
        .set({ lastUsedAt: now })
        .where(
          and(
            eq(apiKeys.id, verified.keyId),
            or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, now - LAST_USED_RESOLUTION_MS)),
          ),
        )
        .run(),
    );
  }
  return verified;
}

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
  clock: Pick<Clock, 'now'>;
  /** Where the `last_used_at` write goes, so the request does not wait for it. */
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * The key's grant, or null when no unrevoked key has this hash. A hit in the isolate's cache answers without D1
 * (api-key-cache.ts says how long it may lag a revocation made elsewhere); a miss reads D1 and caches only a key D1
 * confirmed. `last_used_at` is written at most once per LAST_USED_RESOLUTION_MS per key and isolate, in the background.
 */
export async function verifyApiKey(deps: VerifyApiKeyDeps, key: string): Promise<VerifiedApiKey | null> {
  const keyHash = await hashApiKey(key);
  let verified = deps.cache.get(keyHash);
  if (!verified) {
    // Taken before the read: a revocation landing while it is in flight keeps its result out of the cache.
    const epoch = deps.cache.evictionEpoch;
    const row = await database(deps.db).query.apiKeys.findFirst({
      where: and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)),
      columns: { id: true, teamId: true, name: true, prefix: true, scopes: true, lastUsedAt: true },
    });
    if (!row) return null;
    verified = {
      teamId: row.teamId,
      keyId: row.id,
      scopes: row.scopes,
      name: row.name,
      prefix: row.prefix,
      lastUsedAt: row.lastUsedAt,
    };
    deps.cache.set(keyHash, verified, { unlessEvictedSince: epoch });
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

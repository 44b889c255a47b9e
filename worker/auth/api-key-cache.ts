import type { ApiKeyScope } from '../db/schema/index.ts';
import { IsolateCache } from '../ports/isolate-cache.ts';

/** What a verified API key grants, as the middleware needs it: never the key, which is only ever held as its hash. */
export interface VerifiedApiKey {
  teamId: string;
  keyId: string;
  scopes: readonly ApiKeyScope[];
  name: string;
  prefix: string;
  /** When the key was last recorded as used (D1's `last_used_at`, or this isolate's own later write). */
  lastUsedAt: number | null;
}

/**
 * How long a verified key is trusted without asking D1 again, and so how long a key revoked through another isolate
 * keeps working in this one (revoking evicts it here at once: worker/api-keys/routes.ts). A minute matches the
 * resolution of `last_used_at` (middleware.ts), and takes the per-request read off the control-plane `DB`: each
 * isolate reads a key at most once a minute instead of on every request and WebSocket open (issue 19 §2,
 * docs/scaling.md).
 */
export const API_KEY_CACHE_TTL_MS = 60_000;

/**
 * Keys in use at once per isolate. An entry is the 64-character hash plus ids, scopes, a name of ≤ 100 characters
 * and a prefix: well under 1 KB with the Map's overhead, so 2,000 entries stay under 2 MB of the isolate's 128 MB.
 * Past that the least recently used key is read from D1 again on its next request, nothing worse.
 */
export const API_KEY_CACHE_ENTRIES = 2_000;

/**
 * Verified keys by SHA-256 hash. Only keys D1 confirmed are stored: unknown keys go to `unknownApiKeys`, a cache of
 * their own, so requests with made-up keys cannot push real ones out.
 */
export const apiKeyCache = new IsolateCache<VerifiedApiKey>({
  maxEntries: API_KEY_CACHE_ENTRIES,
  ttlMs: API_KEY_CACHE_TTL_MS,
});

/**
 * Hashes of well-formed keys D1 did not know (or knew as revoked), so repeating one costs no D1 read. Keys are 256
 * random bits, so no one can present a key before it is minted: "unknown" cannot outlive a key's creation. Bounded
 * by entries (a hash is ~100 bytes with the Map's overhead: 10,000 stay near 1 MB); a flood of made-up keys only
 * pushes out other made-up keys, and the rate limiter has already counted each of them per IP.
 */
export const unknownApiKeys = new IsolateCache<true>({ maxEntries: 10_000, ttlMs: 30_000 });

/**
 * Team ids of keys this isolate verified within the last ten minutes, by hash: what the rate limiter reads to count a
 * key in its own bucket (worker/auth/api-key-bucket.ts). It outlives `apiKeyCache` on purpose: when a busy key's
 * one-minute entry expires, its next request is still counted per key while the auth middleware re-reads D1, so a
 * client IP whose budget someone else spent cannot shut a real key out. It grants nothing: auth reads `apiKeyCache`.
 */
export const recentlyVerifiedApiKeys = new IsolateCache<string>({ maxEntries: 10_000, ttlMs: 600_000 });

/** Called when a key is revoked: this isolate refuses it on the next request. */
export function forgetApiKey(keyHash: string): void {
  apiKeyCache.delete(keyHash);
  recentlyVerifiedApiKeys.delete(keyHash);
}

/** Every cached key of a team, for changes that switch all of them off (team deletion). */
export function forgetTeamApiKeys(teamId: string): number {
  recentlyVerifiedApiKeys.deleteWhere((keyTeamId) => keyTeamId === teamId);
  return apiKeyCache.deleteWhere((key) => key.teamId === teamId);
}

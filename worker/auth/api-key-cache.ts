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
 * Verified keys by SHA-256 hash. Only keys D1 confirmed are stored: an unknown key is not remembered, so requests
 * with made-up keys cannot push real ones out (each costs its own D1 read, as before), and a key is usable on every
 * isolate the moment it is created.
 */
export const apiKeyCache = new IsolateCache<VerifiedApiKey>({
  maxEntries: API_KEY_CACHE_ENTRIES,
  ttlMs: API_KEY_CACHE_TTL_MS,
});

/** Called when a key is revoked: this isolate refuses it on the next request. */
export function forgetApiKey(keyHash: string): void {
  apiKeyCache.delete(keyHash);
}

/** Every cached key of a team, for changes that switch all of them off (team deletion). */
export function forgetTeamApiKeys(teamId: string): number {
  return apiKeyCache.deleteWhere((key) => key.teamId === teamId);
}

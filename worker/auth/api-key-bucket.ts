import { hashApiKey, isWellFormedApiKey } from '../security/api-keys.ts';
import { recentlyVerifiedApiKeys, unknownApiKeys } from './api-key-cache.ts';

/**
 * The rate-limit bucket of a bearer token (worker/http/rate-limit.ts): the key's hash when this isolate verified the
 * key recently, else none, and the request counts against its client IP. Reads memory only, never D1, so a client
 * sending a fresh made-up key each time opens no fresh bucket and causes at most one D1 lookup per request of its IP
 * quota; a real key is counted per key from its first verified request on.
 */
export async function verifiedApiKeyBucket(token: string): Promise<string | undefined> {
  if (!isWellFormedApiKey(token)) return undefined;
  const keyHash = await hashApiKey(token);
  if (unknownApiKeys.get(keyHash) || !recentlyVerifiedApiKeys.get(keyHash)) return undefined;
  return keyHash;
}

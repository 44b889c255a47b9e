import { randomBytes, sha256Hex, toBase64Url } from './encoding.ts';

/**
 * API keys: `prl_` + 32 random bytes (256 bits). With that much entropy a plain SHA-256 is the right storage hash
 * (a slow KDF only matters for guessable secrets), and a lookup by hash needs no constant-time comparison: the
 * attacker cannot choose hash prefixes.
 */
export const API_KEY_PREFIX = 'prl_';

/**
 * What `generateApiKey` mints: the prefix and 43 base64url characters (32 bytes, unpadded). A token of any other
 * shape cannot be a key, so it is refused, and counted per IP by the rate limiter, without a hash or a D1 read.
 */
const API_KEY_SHAPE = /^prl_[A-Za-z0-9_-]{43}$/;

export function isWellFormedApiKey(token: string): boolean {
  return API_KEY_SHAPE.test(token);
}

export async function generateApiKey(): Promise<{ key: string; prefix: string; hash: string }> {
  const key = API_KEY_PREFIX + toBase64Url(randomBytes(32));
  return { key, prefix: key.slice(0, API_KEY_PREFIX.length + 6), hash: await hashApiKey(key) };
}

export function hashApiKey(key: string): Promise<string> {
  return sha256Hex(key);
}

/** Widget keys are public identifiers (they sit in a page's HTML), so they are random but not secret. */
export function generateWidgetKey(): string {
  return `wk_${toBase64Url(randomBytes(18))}`;
}

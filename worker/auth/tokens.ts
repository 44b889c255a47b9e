import { randomBytes, sha256Hex, toBase64Url } from '../security/encoding.ts';

/**
 * Session, challenge and invitation tokens: 32 random bytes (256 bits) in base64url. With that much entropy a plain
 * SHA-256 is the right storage hash and a lookup by hash needs no constant-time comparison (security/api-keys.ts).
 */
export function newToken(): string {
  return toBase64Url(randomBytes(32));
}

export function hashToken(token: string): Promise<string> {
  return sha256Hex(`parley-token:${token}`);
}

/**
 * The CSRF token of a session: derived from its secret cookie token, so it needs no storage, dies with the session,
 * and cannot be computed by a page that cannot read the HttpOnly cookie (the synchronizer-token pattern without a
 * stored token; OWASP CSRF Prevention Cheat Sheet). Domain-separated from the storage hash above.
 */
export function csrfTokenFor(sessionToken: string): Promise<string> {
  return sha256Hex(`parley-csrf:${sessionToken}`);
}

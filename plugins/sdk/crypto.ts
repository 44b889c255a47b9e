/**
 * Crypto helpers for webhook verification (and for tests that sign webhooks), on WebCrypto as Workers expose it.
 * The worker's own token and password checks use the same `constantTimeEqual` (worker/security re-exports it).
 */

/**
 * Compares two strings in time that depends only on their lengths, so a signature or token cannot be guessed
 * byte by byte from response times. Workers' `crypto.subtle.timingSafeEqual` needs equal lengths, hence the guard.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  if (left.byteLength !== right.byteLength) return false;
  const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: (x: BufferSource, y: BufferSource) => boolean };
  if (subtle.timingSafeEqual) return subtle.timingSafeEqual(left, right);
  let difference = 0;
  for (let i = 0; i < left.byteLength; i++) difference |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return difference === 0;
}

const encoder = new TextEncoder();

/** Raw HMAC of `payload` (UTF-8) under `secret` (UTF-8). */
export async function hmac(hash: 'SHA-1' | 'SHA-256', secret: string, payload: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(payload)));
}

export const toHex = (bytes: Uint8Array): string =>
  [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');

/** Lowercase hex HMAC-SHA256 (Slack's v0=, Meta's sha256=). */
export async function hmacSha256Hex(secret: string, payload: string): Promise<string> {
  return toHex(await hmac('SHA-256', secret, payload));
}

/** Base64 HMAC-SHA1 (Twilio's X-Twilio-Signature). */
export async function hmacSha1Base64(secret: string, payload: string): Promise<string> {
  return btoa(String.fromCharCode(...(await hmac('SHA-1', secret, payload))));
}

/** Lowercase hex SHA-256 of a UTF-8 string. */
export async function sha256Hex(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text))));
}

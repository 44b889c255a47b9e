/**
 * Crypto helpers for webhook verification (and for tests that sign webhooks), on WebCrypto as Workers expose it.
 * `constantTimeEqual` comes from the worker because the SDK does not export it yet; once `plugins/sdk` re-exports
 * it, only this import changes.
 */
export { constantTimeEqual } from '../../../worker/security/constant-time.ts';

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

/**
 * Crypto helpers for webhook verification. `constantTimeEqual` comes from the worker because the SDK does not
 * export it yet; once `plugins/sdk` re-exports it, only this import changes.
 */
export { constantTimeEqual } from '../../../worker/security/constant-time.ts';

/** Lowercase hex HMAC-SHA256 of `payload` (UTF-8) under `secret`. */
export async function hmacSha256Hex(secret: string, payload: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(payload)));
  return [...mac].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

import { fromBase64Url, toBase64Url } from './encoding.ts';

const encoder = new TextEncoder();

/**
 * HMAC-SHA256 keys derived from ENCRYPTION_KEY with HKDF (RFC 5869) under a label, so a signature made for one
 * purpose (a public file link) can never double as an AES key, a widget token signature or another label's HMAC.
 * Derived once per isolate and label: each derivation is a WebCrypto round trip.
 */
const cache = new Map<string, { secret: string; key: Promise<CryptoKey> }>();

function labelledKey(encryptionKey: string, label: string): Promise<CryptoKey> {
  const cached = cache.get(label);
  if (cached?.secret === encryptionKey) return cached.key;
  const key = (async () => {
    const material = await crypto.subtle.importKey('raw', fromBase64Url(encryptionKey), 'HKDF', false, ['deriveKey']);
    return crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(label) },
      material,
      { name: 'HMAC', hash: 'SHA-256', length: 256 },
      false,
      ['sign'],
    );
  })();
  // A bad key must fail every call, not be cached as a rejected promise forever.
  key.catch(() => cache.delete(label));
  cache.set(label, { secret: encryptionKey, key });
  return key;
}

/** Base64url HMAC-SHA256 of `payload` under the key ENCRYPTION_KEY derives for `label`. */
export async function labelledHmac(encryptionKey: string, label: string, payload: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await labelledKey(encryptionKey, label), encoder.encode(payload));
  return toBase64Url(new Uint8Array(mac));
}

import { constantTimeEqual } from '../security/constant-time.ts';
import { toHex } from '../security/encoding.ts';
import { type SecretBox, secretContext } from '../security/secrets.ts';

/** The identity secret of a widget key, as the customer's server uses it: the UTF-8 bytes of the stored string. */
export async function openIdentitySecret(
  box: SecretBox,
  key: { id: string; teamId: string; identitySecret: string },
): Promise<string> {
  return box.open(key.identitySecret, secretContext(key.teamId, 'widget', key.id));
}

/** Hex HMAC-SHA256 of `userId` under `secret`: what the customer's server computes and puts in `identity.hash`. */
export async function identityHash(secret: string, userId: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return toHex(await crypto.subtle.sign('HMAC', key, encoder.encode(userId)));
}

/** Constant-time, so the hash cannot be found byte by byte from response times. Hex case does not matter. */
export async function identityValid(secret: string, userId: string, hash: string): Promise<boolean> {
  return constantTimeEqual(await identityHash(secret, userId), hash.toLowerCase());
}

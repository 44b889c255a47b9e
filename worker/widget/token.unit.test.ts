import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../security/secrets.ts';
import { identityHash, identityValid } from './identity.ts';
import { originAllowed } from './origin.ts';
import { signWidgetToken, verifyWidgetToken, type WidgetTokenPayload } from './token.ts';

const payload: WidgetTokenPayload = {
  t: 'team_1',
  b: 'bot_1',
  c: 'conv_1',
  p: 'ptc_1',
  o: 'https://a.example',
  k: 'wk_1',
  exp: 2_000,
};

describe('widget tokens', () => {
  it('round-trips and refuses tampering, another key, and expiry', async () => {
    const token = await signWidgetToken(env.ENCRYPTION_KEY, payload);
    expect(token).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(await verifyWidgetToken(env.ENCRYPTION_KEY, token, 1_000)).toEqual(payload);
    const [, body, mac] = token.split('.');
    const forgedBody = btoa(JSON.stringify({ ...payload, c: 'conv_2' })).replace(/=+$/, '');
    await expect(verifyWidgetToken(env.ENCRYPTION_KEY, `v1.${forgedBody}.${mac}`, 1_000)).rejects.toMatchObject({
      code: 'invalid_token',
    });
    await expect(verifyWidgetToken(env.ENCRYPTION_KEY, `v2.${body}.${mac}`, 1_000)).rejects.toMatchObject({
      status: 401,
    });
    const other = await signWidgetToken(SecretBox.generateKey(), payload);
    await expect(verifyWidgetToken(env.ENCRYPTION_KEY, other, 1_000)).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(verifyWidgetToken(env.ENCRYPTION_KEY, token, 2_000)).rejects.toMatchObject({
      code: 'token_expired',
      origin: 'https://a.example',
    });
    await expect(verifyWidgetToken(env.ENCRYPTION_KEY, 'garbage', 1_000)).rejects.toMatchObject({ status: 401 });
  });
});

describe('identity hash and origins', () => {
  it('accepts the hex HMAC of the id in either case, and nothing else', async () => {
    const hash = await identityHash('secret', 'user-42');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await identityValid('secret', 'user-42', hash)).toBe(true);
    expect(await identityValid('secret', 'user-42', hash.toUpperCase())).toBe(true);
    expect(await identityValid('secret', 'user-43', hash)).toBe(false);
    expect(await identityValid('other', 'user-42', hash)).toBe(false);
  });

  it('allows listed origins, * for any, and never a missing or opaque origin', () => {
    expect(originAllowed(['https://a.example'], 'https://a.example')).toBe(true);
    expect(originAllowed(['https://a.example'], 'https://a.example.evil')).toBe(false);
    expect(originAllowed(['*'], 'https://b.example')).toBe(true);
    expect(originAllowed(['*'], undefined)).toBe(false);
    expect(originAllowed(['*'], 'null')).toBe(false);
  });
});

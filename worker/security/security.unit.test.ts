import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey, isWellFormedApiKey } from './api-keys.ts';
import { constantTimeEqual } from './constant-time.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { SecretBox, secretContext } from './secrets.ts';

describe('SecretBox (AES-256-GCM)', () => {
  it('round-trips, uses a fresh IV each time, and refuses another context or key', async () => {
    const box = await SecretBox.fromBase64Url(SecretBox.generateKey());
    const context = secretContext('team_a', 'provider', 'cred_1');
    const first = await box.seal('sk-secret', context);
    const second = await box.seal('sk-secret', context);
    expect(first).not.toBe(second);
    expect(first).not.toContain('sk-secret');
    expect(await box.open(first, context)).toBe('sk-secret');
    await expect(box.open(first, secretContext('team_b', 'provider', 'cred_1'))).rejects.toThrow();
    const otherKey = await SecretBox.fromBase64Url(SecretBox.generateKey());
    await expect(otherKey.open(first, context)).rejects.toThrow();
    const tampered = `${first.slice(0, -2)}${first.endsWith('A') ? 'B' : 'A'}A`;
    await expect(box.open(tampered, context)).rejects.toThrow();
  });

  it('rejects a missing or short key', async () => {
    await expect(SecretBox.fromBase64Url(undefined)).rejects.toThrow(/ENCRYPTION_KEY/);
    await expect(SecretBox.fromBase64Url('c2hvcnQ')).rejects.toThrow(/32 bytes/);
  });
});

describe('passwords and keys', () => {
  it('verifies the right password only, with a per-user salt', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsf', a)).toBe(false);
    expect(await verifyPassword('correct horse', 'garbage')).toBe(false);
  });

  it('API keys are random, prefixed, and stored only as their hash', async () => {
    const key = await generateApiKey();
    expect(key.key).toMatch(/^prl_[A-Za-z0-9_-]{43}$/);
    expect(key.hash).toBe(await hashApiKey(key.key));
    expect(key.hash).not.toContain(key.key.slice(4));
    expect((await generateApiKey()).key).not.toBe(key.key);
  });

  it('every minted API key is well-formed; near misses are not', async () => {
    // A minted key the shape check refused would be locked out of the API: 200 draws cover the base64url alphabet.
    for (let i = 0; i < 200; i++) expect(isWellFormedApiKey((await generateApiKey()).key)).toBe(true);
    const { key } = await generateApiKey();
    for (const near of [
      key.slice(0, -1),
      `${key}A`,
      `PRL_${key.slice(4)}`,
      `${key.slice(0, -1)}=`,
      `${key.slice(0, -1)}+`,
    ])
      expect(isWellFormedApiKey(near)).toBe(false);
  });

  it('constantTimeEqual compares content and length', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});

import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { BASE, seedDemo } from '../../test/seed.ts';
import { addMember, signIn, TEST_PASSWORD, testIp, withSession } from './testing.ts';
import { base32Decode, base32Encode, hotp, otpauthUri, totpStep, verifyTotp } from './totp.ts';

const ascii = (text: string) => new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;

describe('TOTP (RFC 6238)', () => {
  // RFC 6238 Appendix B: 8-digit codes for these times, with the ASCII seeds of each hash's key length.
  const sha1 = ascii('12345678901234567890');
  const sha256 = ascii('12345678901234567890123456789012');
  const sha512 = ascii('1234567890123456789012345678901234567890123456789012345678901234');
  const vectors: [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];

  it('matches every test vector of RFC 6238 Appendix B', async () => {
    for (const [seconds, one, two, five] of vectors) {
      const step = totpStep(seconds * 1000);
      expect(await hotp(sha1, step, 8, 'SHA-1'), `SHA-1 @${seconds}`).toBe(one);
      expect(await hotp(sha256, step, 8, 'SHA-256'), `SHA-256 @${seconds}`).toBe(two);
      expect(await hotp(sha512, step, 8, 'SHA-512'), `SHA-512 @${seconds}`).toBe(five);
    }
  });

  it('accepts ±1 step of drift, refuses replays and older steps, round-trips base32', async () => {
    const now = 1_700_000_000_000;
    const step = totpStep(now);
    const code = async (s: number) => hotp(sha1, s);
    expect(await verifyTotp(sha1, await code(step), now)).toBe(step);
    expect(await verifyTotp(sha1, await code(step - 1), now)).toBe(step - 1);
    expect(await verifyTotp(sha1, await code(step + 1), now)).toBe(step + 1);
    expect(await verifyTotp(sha1, await code(step + 2), now)).toBeNull();
    expect(await verifyTotp(sha1, await code(step), now, step)).toBeNull();
    expect(await verifyTotp(sha1, 'abcdef', now)).toBeNull();
    expect(base32Encode(ascii('12345678901234567890'))).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')).toEqual(ascii('12345678901234567890'));
    expect(otpauthUri('ABC', 'a@b.c')).toBe(
      'otpauth://totp/Parley:a%40b.c?secret=ABC&issuer=Parley&algorithm=SHA1&digits=6&period=30',
    );
  });
});

describe('TOTP sign-in flow', () => {
  const post = (path: string, body: unknown, init: RequestInit = {}) =>
    SELF.fetch(`${BASE}${path}`, {
      ...init,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': testIp(), ...init.headers },
      body: JSON.stringify(body),
    });

  it('sets up, enables, then asks for a code at sign-in; recovery codes work once; disabling needs proof', async () => {
    const demo = await seedDemo();
    const { email } = await addMember(demo.teamId, 'admin');
    const session = await signIn(email);
    const setup = await SELF.fetch(`${BASE}/api/v1/auth/totp/setup`, withSession(session, { method: 'POST' }));
    expect(setup.status).toBe(200);
    const { secret, otpauthUri: uri } = (await setup.json()) as { secret: string; otpauthUri: string };
    expect(uri).toContain(`secret=${secret}`);
    const key = base32Decode(secret);
    // Codes relative to one fixed step, so a 30-second boundary crossed mid-test cannot change which codes are used.
    const base = totpStep(Date.now());
    const codeAt = (offset: number) => hotp(key, base + offset);

    const wrong = await SELF.fetch(
      `${BASE}/api/v1/auth/totp/enable`,
      withSession(session, {
        method: 'POST',
        body: JSON.stringify({ code: '000000' === (await codeAt(0)) ? '111111' : '000000' }),
      }),
    );
    expect(wrong.status).toBe(400);
    const enabled = await SELF.fetch(
      `${BASE}/api/v1/auth/totp/enable`,
      withSession(session, { method: 'POST', body: JSON.stringify({ code: await codeAt(0) }) }),
    );
    expect(enabled.status).toBe(200);
    const { recoveryCodes } = (await enabled.json()) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);

    // The password alone no longer signs in.
    const first = await post('/api/v1/auth/sign-in', { email, password: TEST_PASSWORD });
    expect(first.headers.get('set-cookie')).toBeNull();
    const { twoFactorRequired, challenge } = (await first.json()) as { twoFactorRequired: boolean; challenge: string };
    expect(twoFactorRequired).toBe(true);
    // A challenge is not a session.
    const asCookie = await SELF.fetch(`${BASE}/api/v1/auth/me`, { headers: { cookie: `parley_session=${challenge}` } });
    expect(asCookie.status).toBe(401);
    // The code used to enable cannot be replayed; the next step's can.
    expect((await post('/api/v1/auth/sign-in/totp', { challenge, code: await codeAt(0) })).status).toBe(400);
    const done = await post('/api/v1/auth/sign-in/totp', { challenge, code: await codeAt(1) });
    expect(done.status).toBe(200);
    expect(done.headers.get('set-cookie')).toContain('parley_session=');
    expect((await post('/api/v1/auth/sign-in/totp', { challenge, code: await codeAt(1) })).status).toBe(401);

    const recovery = recoveryCodes[0] ?? '';
    const second = (await (await post('/api/v1/auth/sign-in', { email, password: TEST_PASSWORD })).json()) as {
      challenge: string;
    };
    expect(
      (await post('/api/v1/auth/sign-in/totp', { challenge: second.challenge, recoveryCode: recovery })).status,
    ).toBe(200);
    const third = (await (await post('/api/v1/auth/sign-in', { email, password: TEST_PASSWORD })).json()) as {
      challenge: string;
    };
    expect(
      (await post('/api/v1/auth/sign-in/totp', { challenge: third.challenge, recoveryCode: recovery })).status,
    ).toBe(400);

    const noProof = await SELF.fetch(
      `${BASE}/api/v1/auth/totp/disable`,
      withSession(session, { method: 'POST', body: '{}' }),
    );
    expect(noProof.status).toBe(400);
    const disabled = await SELF.fetch(
      `${BASE}/api/v1/auth/totp/disable`,
      withSession(session, { method: 'POST', body: JSON.stringify({ password: TEST_PASSWORD }) }),
    );
    expect(disabled.status).toBe(204);
    expect((await signIn(email)).cookie).toMatch(/^parley_session=/);
  });
});

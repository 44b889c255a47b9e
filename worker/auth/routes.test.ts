import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { BASE, seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { sessions, signInFailures } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import worker from '../index.ts';
import { passwordProblem } from '../security/password-policy.ts';
import { MAIL_PREFIX } from './mail.ts';
import { addMember, signIn, TEST_PASSWORD, testIp, withSession } from './testing.ts';
import { delayAfter, FREE_FAILURES, throttleBuckets } from './throttle.ts';

const post = (path: string, body: unknown, headers: Record<string, string> = {}, base = BASE) =>
  SELF.fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': testIp(), ...headers },
    body: JSON.stringify(body),
  });

const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('sign-in and sessions', () => {
  it('signs the seeded owner in with an HttpOnly, Secure, SameSite=Lax cookie and a CSRF token', async () => {
    const demo = await seedDemo();
    const res = await post('/api/v1/auth/sign-in', {
      email: demo.ownerEmail.toUpperCase(),
      password: demo.ownerPassword,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { twoFactorRequired: boolean; csrfToken: string; user: { email: string } };
    expect(body).toMatchObject({ twoFactorRequired: false, user: { email: demo.ownerEmail } });
    expect(body.csrfToken).toMatch(/^[0-9a-f]{64}$/);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^parley_session=[A-Za-z0-9_-]{43};/);
    for (const flag of ['HttpOnly', 'SameSite=Lax', 'Path=/', 'Max-Age=43200', 'Secure'])
      expect(cookie).toContain(flag);

    const me = await SELF.fetch(`${BASE}/api/v1/auth/me`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      user: { email: demo.ownerEmail },
      memberships: [{ teamId: demo.teamId, role: 'owner' }],
      currentTeam: { teamId: demo.teamId, role: 'owner' },
      csrfToken: body.csrfToken,
      twoFactorEnabled: false,
    });
  });

  it('leaves Secure off only on plain-http localhost, where npm start serves the dashboard', async () => {
    const demo = await seedDemo();
    const res = await post(
      '/api/v1/auth/sign-in',
      { email: demo.ownerEmail, password: demo.ownerPassword },
      {},
      'http://localhost:8787',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).not.toContain('Secure');
  });

  it('answers an unknown email and a wrong password with the same 401', async () => {
    const demo = await seedDemo();
    const wrong = await post('/api/v1/auth/sign-in', { email: demo.ownerEmail, password: 'not the password' });
    const unknown = await post('/api/v1/auth/sign-in', {
      email: `nobody-${crypto.randomUUID()}@x.test`,
      password: 'x',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('lets the owner sign in from their IP however often a stranger fails from another (no targeted lockout)', async () => {
    const demo = await seedDemo();
    const attacker = testIp();
    const statuses = [];
    for (let i = 0; i < 12; i++) {
      const res = await post(
        '/api/v1/auth/sign-in',
        { email: demo.ownerEmail, password: `guess-${i}` },
        { 'cf-connecting-ip': attacker },
      );
      statuses.push(res.status);
    }
    // The stranger is slowed (429 once past the free failures), the owner is not.
    expect(statuses.slice(0, FREE_FAILURES + 1)).toEqual(Array(FREE_FAILURES + 1).fill(401));
    expect(statuses.at(-1)).toBe(429);
    const owner = await post('/api/v1/auth/sign-in', { email: demo.ownerEmail, password: demo.ownerPassword });
    expect(owner.status).toBe(200);
  });

  it('makes the same (account, IP) wait 2, 4, 8 … seconds after each failure past the free ones', async () => {
    const demo = await seedDemo();
    const { email } = await addMember(demo.teamId, 'viewer');
    const ip = testIp();
    const db = database(env.DB);
    const bucket = throttleBuckets(email, ip).pair;
    const attempt = (password: string) => post('/api/v1/auth/sign-in', { email, password }, { 'cf-connecting-ip': ip });
    // Time passing, without waiting: the latest failure moves into the past.
    const age = async (ms: number) => {
      const [row] = await db.select().from(signInFailures).where(eq(signInFailures.bucket, bucket));
      await db
        .update(signInFailures)
        .set({ windowStart: (row?.windowStart ?? 0) - ms })
        .where(eq(signInFailures.bucket, bucket));
    };
    for (let i = 0; i < FREE_FAILURES; i++) expect((await attempt(`wrong-${i}`)).status).toBe(401);
    const waits = [];
    for (let k = 0; k < 3; k++) {
      expect((await attempt(`wrong-more-${k}`)).status).toBe(401);
      const held = await attempt(TEST_PASSWORD);
      expect(held.status).toBe(429);
      expect(await errorCode(held)).toBe('rate_limited');
      const retryAfter = Number(held.headers.get('retry-after'));
      waits.push(retryAfter);
      await age(retryAfter * 1000);
    }
    expect(waits).toEqual([2, 4, 8]);
    expect(delayAfter(100)).toBe(15 * 60);
    // Once the delay has passed, the right password works, and clears the pair's count.
    expect((await attempt(TEST_PASSWORD)).status).toBe(200);
    expect(await db.select().from(signInFailures).where(eq(signInFailures.bucket, bucket))).toEqual([]);
  });

  it('slows wrong passwords at invitations/accept per (account, IP) too, not the account everywhere', async () => {
    const demo = await seedDemo();
    const owner = await signIn(demo.ownerEmail, demo.ownerPassword);
    const { email } = await addMember((await seedDemo()).teamId, 'viewer');
    const invite = async () => {
      const res = await SELF.fetch(
        `${BASE}/api/v1/invitations`,
        withSession(owner, { method: 'POST', body: JSON.stringify({ email, role: 'editor' }) }),
      );
      expect(res.status).toBe(201);
      return ((await res.json()) as { token: string }).token;
    };
    // Someone with an account in another team, invited to this one: the link asks for their password.
    const token = await invite();
    const attacker = testIp();
    let last = 0;
    for (let i = 0; i < FREE_FAILURES + 3; i++) {
      last = (
        await post('/api/v1/invitations/accept', { token, password: `guess-${i}` }, { 'cf-connecting-ip': attacker })
      ).status;
    }
    expect(last).toBe(429);
    expect((await post('/api/v1/auth/sign-in', { email, password: TEST_PASSWORD })).status).toBe(200);
  });

  it('throttles one IP guessing across many accounts', async () => {
    const ip = testIp();
    for (let i = 0; i < 20; i++) {
      const res = await post(
        '/api/v1/auth/sign-in',
        { email: `spray-${i}-${crypto.randomUUID()}@x.test`, password: 'x' },
        { 'cf-connecting-ip': ip },
      );
      expect(res.status).toBe(401);
    }
    const demo = await seedDemo();
    const res = await post(
      '/api/v1/auth/sign-in',
      { email: demo.ownerEmail, password: demo.ownerPassword },
      { 'cf-connecting-ip': ip },
    );
    expect(res.status).toBe(429);
  });

  it('validates the body, naming the field', async () => {
    const res = await post('/api/v1/auth/sign-in', { email: 'not-an-email', password: '' });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { details: { field: string }[] } };
    expect(error.details.map((d) => d.field).sort()).toEqual(['body.email', 'body.password']);
  });

  it('signs out one session, and sign-out-all revokes every other session of the person', async () => {
    const demo = await seedDemo();
    const { email } = await addMember(demo.teamId, 'viewer');
    const laptop = await signIn(email);
    const phone = await signIn(email);
    const tablet = await signIn(email);

    const out = await SELF.fetch(`${BASE}/api/v1/auth/sign-out`, withSession(tablet, { method: 'POST' }));
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await SELF.fetch(`${BASE}/api/v1/auth/me`, withSession(tablet))).status).toBe(401);
    expect((await SELF.fetch(`${BASE}/api/v1/auth/me`, withSession(phone))).status).toBe(200);

    const all = await SELF.fetch(`${BASE}/api/v1/auth/sign-out-all`, withSession(laptop, { method: 'POST' }));
    expect(all.status).toBe(204);
    for (const session of [laptop, phone]) {
      const me = await SELF.fetch(`${BASE}/api/v1/auth/me`, withSession(session));
      expect(me.status).toBe(401);
      expect(await errorCode(me)).toBe('unauthorized');
    }
  });

  it('refuses a cookie-authenticated write without the CSRF token or from another origin', async () => {
    const demo = await seedDemo();
    const session = await signIn((await addMember(demo.teamId, 'viewer')).email);
    const noToken = await SELF.fetch(`${BASE}/api/v1/auth/sign-out`, {
      method: 'POST',
      headers: { cookie: session.cookie },
    });
    expect(noToken.status).toBe(403);
    expect(await errorCode(noToken)).toBe('csrf_failed');
    const crossSite = await SELF.fetch(
      `${BASE}/api/v1/auth/sign-out`,
      withSession(session, { method: 'POST', headers: { origin: 'https://evil.example' } }),
    );
    expect(crossSite.status).toBe(403);
    expect(await errorCode(crossSite)).toBe('csrf_failed');
    const sameSite = await SELF.fetch(
      `${BASE}/api/v1/auth/sign-out`,
      withSession(session, { method: 'POST', headers: { origin: BASE } }),
    );
    expect(sameSite.status).toBe(204);
  });

  it('does not take an API key as a session on account routes', async () => {
    const demo = await seedDemo();
    const res = await SELF.fetch(`${BASE}/api/v1/auth/me`, { headers: { authorization: `Bearer ${demo.apiKey}` } });
    expect(res.status).toBe(401);
  });
});

describe('open sign-up', () => {
  const call = async (path: string, vars: Partial<Env>, body: unknown) => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`${BASE}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': testIp() },
        body: JSON.stringify(body),
      }),
      { ...env, ...vars } as Env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return res;
  };
  const signUp = (vars: Partial<Env>, body: unknown) => call('/api/v1/auth/sign-up', vars, body);

  /** The mail recorded for `email` (Parley has no sender; worker/auth/mail.ts), newest last. */
  const mailsTo = async (email: string) => {
    const listed = await env.FILES.list({ prefix: MAIL_PREFIX });
    const mails = [];
    for (const object of listed.objects) {
      const mail = (await (await env.FILES.get(object.key))?.json()) as { to: string; kind: string; text: string };
      if (mail.to === email) mails.push(mail);
    }
    return mails;
  };
  const open = { OPEN_SIGNUP: 'true' };

  it('is closed unless OPEN_SIGNUP=true', async () => {
    const closed = await signUp(
      {},
      { email: `new-${crypto.randomUUID()}@parley.test`, password: TEST_PASSWORD, name: 'G' },
    );
    expect(closed.status).toBe(403);
    expect(await errorCode(closed)).toBe('signup_closed');
  });

  it('answers a new and a taken email alike, and the mailed link creates an owner of a new team, once', async () => {
    const demo = await seedDemo();
    const email = `new-${crypto.randomUUID()}@parley.test`;
    const fresh = await signUp(open, { email, password: TEST_PASSWORD, name: 'Grace' });
    const taken = await signUp(open, { email: demo.ownerEmail, password: TEST_PASSWORD, name: 'Mallory' });
    expect(fresh.status).toBe(202);
    expect(taken.status).toBe(202);
    expect(await taken.json()).toEqual(await fresh.json());
    expect(fresh.headers.get('set-cookie')).toBeNull();
    expect(taken.headers.get('set-cookie')).toBeNull();

    expect((await mailsTo(demo.ownerEmail)).map((m) => m.kind)).toEqual(['account_exists']);
    const [link] = await mailsTo(email);
    expect(link?.kind).toBe('sign_up_link');
    expect(link?.text).not.toContain(TEST_PASSWORD);
    const token = /"token":"([^"]+)"/.exec(link?.text ?? '')?.[1] ?? '';

    const verify = (vars: Partial<Env>, body: unknown) => call('/api/v1/auth/sign-up/verify', vars, body);
    expect((await verify(open, { token: `${token}x` })).status).toBe(400);
    const created = await verify(open, { token });
    expect(created.status).toBe(201);
    const cookie = (created.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const me = (await (await SELF.fetch(`${BASE}/api/v1/auth/me`, { headers: { cookie } })).json()) as {
      memberships: { role: string; teamName: string }[];
    };
    expect(me.memberships).toEqual([expect.objectContaining({ role: 'owner', teamName: "Grace's team" })]);
    expect((await verify(open, { token })).status).toBe(409);
    // The password given at sign-up is the account's.
    await signIn(email, TEST_PASSWORD);
  });

  it('refuses short, common, padded-common, repetitive and sequential passwords, naming the field', async () => {
    for (const password of [
      'short',
      'aaaaaaaaaaaa',
      'abababababab',
      'abcdefghijklmn',
      '123456789012',
      'password1234',
      'Password123!',
      'qwertyuiop1234',
      'iloveyouiloveyou',
    ]) {
      const res = await signUp(open, { email: `weak-${crypto.randomUUID()}@parley.test`, password, name: 'W' });
      expect(res.status, password).toBe(400);
      const { error } = (await res.json()) as { error: { details: { field: string; message: string }[] } };
      expect(error.details[0]?.field).toBe('body.password');
    }
    // The same rule where an invitation creates the account.
    const demo = await seedDemo();
    const owner = await signIn(demo.ownerEmail, demo.ownerPassword);
    const invited = await SELF.fetch(
      `${BASE}/api/v1/invitations`,
      withSession(owner, {
        method: 'POST',
        body: JSON.stringify({ email: `new-${crypto.randomUUID()}@parley.test`, role: 'viewer' }),
      }),
    );
    const { token } = (await invited.json()) as { token: string };
    const weak = await post('/api/v1/invitations/accept', { token, name: 'Rae', password: 'aaaaaaaaaaaa' });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain('repetitive');
    expect(passwordProblem('correct horse battery staple')).toBeNull();
    expect(passwordProblem('a long enough passphrase')).toBeNull();
  });
});

describe('first-owner setup', () => {
  const setup = async (vars: Partial<Env>, token: string) => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`${BASE}/api/v1/auth/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': testIp() },
        body: JSON.stringify({
          token,
          email: `first-${crypto.randomUUID()}@parley.test`,
          password: TEST_PASSWORD,
          name: 'First',
        }),
      }),
      { ...env, ...vars } as Env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return res;
  };

  // The success path is createAccount + signIn, covered by open sign-up above; the shared test database always has
  // accounts, so here the guards are what can be observed.
  it('is off without SETUP_TOKEN, refuses a wrong token, and closes once any account exists', async () => {
    await seedDemo();
    const off = await setup({}, 'anything');
    expect(off.status).toBe(403);
    expect(await errorCode(off)).toBe('setup_disabled');
    expect((await setup({ SETUP_TOKEN: 'the-setup-token' }, 'not-the-token')).status).toBe(401);
    const done = await setup({ SETUP_TOKEN: 'the-setup-token' }, 'the-setup-token');
    expect(done.status).toBe(409);
    expect(await errorCode(done)).toBe('already_set_up');
  });
});

describe('housekeeping', () => {
  it('drops a person’s ended sessions at their next sign-in, and long-ended failure windows at the next failure', async () => {
    const demo = await seedDemo();
    const { email, userId } = await addMember(demo.teamId, 'viewer');
    const db = database(env.DB);
    const old = Date.now() - 2 * 24 * 3600 * 1000;
    await db.insert(sessions).values({
      id: `ses_old_${crypto.randomUUID()}`,
      userId,
      tokenHash: crypto.randomUUID(),
      createdAt: old,
      lastSeenAt: old,
      expiresAt: old + 1000,
    });
    const staleBucket = `pair:stale-${crypto.randomUUID()}`;
    await db.insert(signInFailures).values({ bucket: staleBucket, windowStart: old, failures: 3 });

    const session = await signIn(email);
    const left = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId));
    expect(left).toHaveLength(1);
    expect(session.cookie).toMatch(/^parley_session=/);

    await post('/api/v1/auth/sign-in', { email, password: 'wrong password' });
    expect(await db.select().from(signInFailures).where(eq(signInFailures.bucket, staleBucket))).toEqual([]);
  });
});

import { env, SELF } from 'cloudflare:test';
import { BASE } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { memberships, type Role, users } from '../db/schema/index.ts';
import { newId } from '../ids.ts';
import { hashPassword } from '../security/passwords.ts';

/** Test helpers for signed-in requests: a member with a known password, a session, and requests carrying it. */

export interface TestSession {
  cookie: string;
  csrfToken: string;
  userId: string;
}

export const TEST_PASSWORD = 'correct horse battery staple';

/** A fresh user with `role` in `teamId` (and TEST_PASSWORD); returns their id and email. */
export async function addMember(teamId: string, role: Role): Promise<{ userId: string; email: string }> {
  const db = database(env.DB);
  const now = Date.now();
  const userId = newId('user', now);
  const email = `${role}-${crypto.randomUUID()}@parley.test`;
  await db.batch([
    db
      .insert(users)
      .values({ id: userId, email, name: role, passwordHash: await hashPassword(TEST_PASSWORD), createdAt: now }),
    db.insert(memberships).values({ teamId, userId, role, createdAt: now }),
  ]);
  return { userId, email };
}

/** A unique client IP per call, so the per-IP sign-in throttle of one test never touches another. */
export const testIp = () =>
  `10.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`;

export async function signIn(email: string, password = TEST_PASSWORD, ip = testIp()): Promise<TestSession> {
  const res = await SELF.fetch(`${BASE}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { csrfToken: string; user: { id: string } };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, csrfToken: body.csrfToken, userId: body.user.id };
}

/** `init` sent as the signed-in person: their cookie, their CSRF token, optionally a team from the switcher. */
export function withSession(session: TestSession, init: RequestInit = {}, teamId?: string): RequestInit {
  const headers = new Headers(init.headers);
  headers.set('cookie', session.cookie);
  headers.set('x-csrf-token', session.csrfToken);
  if (teamId) headers.set('x-parley-team', teamId);
  if (init.body) headers.set('content-type', 'application/json');
  return { ...init, headers };
}

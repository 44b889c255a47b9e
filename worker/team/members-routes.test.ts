import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { errorFields } from '../../test/api-fixtures.ts';
import { expectPageBounds, keysetOrder, walkPages } from '../../test/pages.ts';
import { authed, BASE, seedDemo } from '../../test/seed.ts';
import { addMember, signIn, TEST_PASSWORD, testIp, withSession } from '../auth/testing.ts';
import { database } from '../db/client.ts';
import { invitations, memberships, users } from '../db/schema/index.ts';
import { newId } from '../ids.ts';

const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
const ownerSession = async (demo: { ownerEmail: string; ownerPassword: string }) =>
  signIn(demo.ownerEmail, demo.ownerPassword);

describe('members', () => {
  it('lists members and lets an owner change roles, never leaving the team without an owner', async () => {
    const demo = await seedDemo();
    const owner = await ownerSession(demo);
    const { userId: viewerId } = await addMember(demo.teamId, 'viewer');

    const list = await SELF.fetch(`${BASE}/api/v1/members`, authed(demo.apiKey));
    expect(list.status).toBe(200);
    const { data } = (await list.json()) as { data: { userId: string; role: string }[] };
    expect(data.map((m) => m.role)).toEqual(['owner', 'viewer']);

    const patch = (userId: string, role: string, init = owner) =>
      SELF.fetch(
        `${BASE}/api/v1/members/${userId}`,
        withSession(init, { method: 'PATCH', body: JSON.stringify({ role }) }),
      );
    const promoted = await patch(viewerId, 'editor');
    expect(promoted.status).toBe(200);
    expect(await promoted.json()).toMatchObject({ userId: viewerId, role: 'editor' });

    const demoteLast = await patch(owner.userId, 'admin');
    expect(demoteLast.status).toBe(409);
    expect(await errorCode(demoteLast)).toBe('last_owner');
    const removeLast = await SELF.fetch(
      `${BASE}/api/v1/members/${owner.userId}`,
      withSession(owner, { method: 'DELETE' }),
    );
    expect(removeLast.status).toBe(409);

    expect((await patch(viewerId, 'owner')).status).toBe(200);
    expect((await patch(owner.userId, 'admin')).status).toBe(200);
  });

  it('keeps the owner role for signed-in owners: an admin (or an admin API key) cannot grant or remove it', async () => {
    const demo = await seedDemo();
    const admin = await signIn((await addMember(demo.teamId, 'admin')).email);
    const { userId: editorId } = await addMember(demo.teamId, 'editor');
    const owner = await ownerSession(demo);

    const selfPromote = await SELF.fetch(
      `${BASE}/api/v1/members/${admin.userId}`,
      withSession(admin, { method: 'PATCH', body: JSON.stringify({ role: 'owner' }) }),
    );
    expect(selfPromote.status).toBe(403);
    const byKey = await SELF.fetch(
      `${BASE}/api/v1/members/${editorId}`,
      authed(demo.apiKey, { method: 'PATCH', body: JSON.stringify({ role: 'owner' }) }),
    );
    expect(byKey.status).toBe(403);
    const removeOwner = await SELF.fetch(
      `${BASE}/api/v1/members/${owner.userId}`,
      withSession(admin, { method: 'DELETE' }),
    );
    expect(removeOwner.status).toBe(403);
    // Admins manage everyone else.
    const removeEditor = await SELF.fetch(
      `${BASE}/api/v1/members/${editorId}`,
      withSession(admin, { method: 'DELETE' }),
    );
    expect(removeEditor.status).toBe(204);
    const gone = await SELF.fetch(`${BASE}/api/v1/members/${editorId}`, withSession(admin, { method: 'DELETE' }));
    expect(gone.status).toBe(404);
  });

  it('does not reach members of another team', async () => {
    const teamA = await seedDemo();
    const teamB = await seedDemo();
    const { userId } = await addMember(teamA.teamId, 'viewer');
    const res = await SELF.fetch(
      `${BASE}/api/v1/members/${userId}`,
      authed(teamB.apiKey, { method: 'PATCH', body: JSON.stringify({ role: 'admin' }) }),
    );
    expect(res.status).toBe(404);
    const listB = (await (await SELF.fetch(`${BASE}/api/v1/members`, authed(teamB.apiKey))).json()) as {
      data: { userId: string }[];
    };
    expect(listB.data.map((m) => m.userId)).not.toContain(userId);
  });
});

describe('members list pages', () => {
  /** A member who joined at exactly `joinedAt` (addMember uses the clock; ties need a fixed time). */
  async function insertMember(teamId: string, joinedAt: number): Promise<string> {
    const db = database(env.DB);
    const userId = newId('user', joinedAt);
    const email = `paged-${crypto.randomUUID()}@parley.test`;
    await db.batch([
      db.insert(users).values({ id: userId, email, name: 'Paged', passwordHash: 'unused', createdAt: joinedAt }),
      db.insert(memberships).values({ teamId, userId, role: 'viewer', createdAt: joinedAt }),
    ]);
    return userId;
  }

  it('walks every member once, oldest first, ties broken by user id, never another team’s', async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const { userId: outsider } = await addMember(other.teamId, 'viewer');
    // Five join in the same millisecond, so the tie-break on the user id is crossed by page boundaries.
    const joinedAt = Date.now() + 60_000;
    for (let i = 0; i < 5; i++) await insertMember(demo.teamId, joinedAt);
    await insertMember(demo.teamId, joinedAt + 1);

    const pages = await walkPages<{ userId: string; joinedAt: string }>(demo.apiKey, '/api/v1/members', 2);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 1]);
    const listed = pages.flat().map((m) => m.userId);
    const stored = await database(env.DB).select().from(memberships).where(eq(memberships.teamId, demo.teamId));
    const expected = keysetOrder(stored, (m) => [new Date(m.createdAt).toISOString(), m.userId], false);
    expect(listed).toEqual(expected.map((m) => m.userId));
    expect(new Set(listed).size).toBe(7);
    expect(listed).not.toContain(outsider);

    const whole = (await (await SELF.fetch(`${BASE}/api/v1/members`, authed(demo.apiKey))).json()) as {
      data: unknown[];
      nextCursor: string | null;
    };
    expect(whole.data).toHaveLength(7);
    expect(whole.nextCursor).toBeNull();
    await expectPageBounds(demo.apiKey, '/api/v1/members');
  });
});

describe('invitations', () => {
  const invite = async (apiKey: string, email: string, role = 'editor') => {
    const res = await SELF.fetch(
      `${BASE}/api/v1/invitations`,
      authed(apiKey, { method: 'POST', body: JSON.stringify({ email, role }) }),
    );
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; token: string; acceptUrl: string; status: string; expiresAt: string };
  };
  const accept = (body: Record<string, unknown>) =>
    SELF.fetch(`${BASE}/api/v1/invitations/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': testIp() },
      body: JSON.stringify(body),
    });

  it('invites a new person who joins with a name and password, signed in, once', async () => {
    const demo = await seedDemo();
    const email = `invitee-${crypto.randomUUID()}@parley.test`;
    const invitation = await invite(demo.apiKey, email.toUpperCase());
    expect(invitation.status).toBe('pending');
    expect(invitation.acceptUrl).toBe(`${BASE}/dashboard/#invite=${invitation.token}`);
    const days = (Date.parse(invitation.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);

    const noName = await accept({ token: invitation.token, password: TEST_PASSWORD });
    expect(noName.status).toBe(400);
    const joined = await accept({ token: invitation.token, name: 'Ada', password: TEST_PASSWORD });
    expect(joined.status).toBe(200);
    const cookie = (joined.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const me = (await (await SELF.fetch(`${BASE}/api/v1/auth/me`, { headers: { cookie } })).json()) as {
      user: { email: string };
      memberships: { teamId: string; role: string }[];
    };
    expect(me.user.email).toBe(email);
    expect(me.memberships).toEqual([expect.objectContaining({ teamId: demo.teamId, role: 'editor' })]);

    expect((await accept({ token: invitation.token, name: 'Eve', password: TEST_PASSWORD })).status).toBe(404);
    const listed = (await (await SELF.fetch(`${BASE}/api/v1/invitations`, authed(demo.apiKey))).json()) as {
      data: { id: string; status: string }[];
    };
    expect(listed.data).toEqual([expect.objectContaining({ id: invitation.id, status: 'accepted' })]);
    expect((await signIn(email)).userId).toMatch(/^user_/);
  });

  it('asks someone who already has an account for their password', async () => {
    const teamA = await seedDemo();
    const teamB = await seedDemo();
    const { email } = await addMember(teamB.teamId, 'admin');
    const invitation = await invite(teamA.apiKey, email, 'viewer');
    expect((await accept({ token: invitation.token })).status).toBe(400);
    expect((await accept({ token: invitation.token, password: 'wrong password!' })).status).toBe(401);
    const joined = await accept({ token: invitation.token, password: TEST_PASSWORD });
    expect(joined.status).toBe(200);
    const session = await signIn(email);
    const me = (await (await SELF.fetch(`${BASE}/api/v1/auth/me`, withSession(session))).json()) as {
      memberships: { teamId: string; role: string }[];
    };
    expect(me.memberships.map((m) => [m.teamId, m.role])).toEqual(
      expect.arrayContaining([
        [teamA.teamId, 'viewer'],
        [teamB.teamId, 'admin'],
      ]),
    );
  });

  it('pages invitations newest first, each once, filters by status in SQL, and shows no other team’s', async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const outsider = await invite(other.apiKey, `o-${crypto.randomUUID()}@parley.test`);
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await invite(demo.apiKey, `p${i}-${crypto.randomUUID()}@parley.test`));
    const [revoked, expired] = created;
    await SELF.fetch(`${BASE}/api/v1/invitations/${revoked?.id}`, authed(demo.apiKey, { method: 'DELETE' }));
    await database(env.DB)
      .update(invitations)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(invitations.id, expired?.id ?? ''));

    const pages = await walkPages<{ id: string; status: string }>(demo.apiKey, '/api/v1/invitations', 2);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    const stored = await database(env.DB).select().from(invitations).where(eq(invitations.teamId, demo.teamId));
    const expected = keysetOrder(stored, (row) => [new Date(row.createdAt).toISOString(), row.id], true);
    const listed = pages.flat();
    expect(listed.map((row) => row.id)).toEqual(expected.map((row) => row.id));
    expect(listed.map((row) => row.id)).not.toContain(outsider.id);

    const ids = async (status: string) =>
      (await walkPages<{ id: string }>(demo.apiKey, `/api/v1/invitations?status=${status}`, 2)).flat().map((r) => r.id);
    const pending = created.slice(2).map((row) => row.id);
    expect(await ids('pending')).toEqual(expected.map((row) => row.id).filter((id) => pending.includes(id)));
    expect(await ids('revoked')).toEqual([revoked?.id]);
    expect(await ids('expired')).toEqual([expired?.id]);
    expect(await ids('accepted')).toEqual([]);
    expect(await errorFields(await SELF.fetch(`${BASE}/api/v1/invitations?status=open`, authed(demo.apiKey)))).toEqual([
      'query.status',
    ]);
    await expectPageBounds(demo.apiKey, '/api/v1/invitations?status=pending');
  });

  it('revokes an invitation, refuses members and owner invitations by non-owners', async () => {
    const demo = await seedDemo();
    const invitation = await invite(demo.apiKey, `r-${crypto.randomUUID()}@parley.test`);
    const revoked = await SELF.fetch(
      `${BASE}/api/v1/invitations/${invitation.id}`,
      authed(demo.apiKey, { method: 'DELETE' }),
    );
    expect(revoked.status).toBe(204);
    const listed = (await (await SELF.fetch(`${BASE}/api/v1/invitations`, authed(demo.apiKey))).json()) as {
      data: { id: string; status: string }[];
    };
    expect(listed.data.find((row) => row.id === invitation.id)?.status).toBe('revoked');
    expect((await accept({ token: invitation.token, name: 'X', password: TEST_PASSWORD })).status).toBe(404);

    const member = await SELF.fetch(
      `${BASE}/api/v1/invitations`,
      authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ email: demo.ownerEmail, role: 'viewer' }) }),
    );
    expect(member.status).toBe(409);
    const ownerByKey = await SELF.fetch(
      `${BASE}/api/v1/invitations`,
      authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ email: 'o@parley.test', role: 'owner' }) }),
    );
    expect(ownerByKey.status).toBe(403);

    const other = await seedDemo();
    const foreign = await SELF.fetch(
      `${BASE}/api/v1/invitations/${invitation.id}`,
      authed(other.apiKey, { method: 'DELETE' }),
    );
    expect(foreign.status).toBe(404);
  });
});

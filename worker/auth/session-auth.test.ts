import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../../test/api-keys.ts';
import { authed, BASE, seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { memberships, type Role } from '../db/schema/index.ts';
import { addMember, signIn, type TestSession, withSession } from './testing.ts';

/** The dashboard uses the same /api/v1 as programs, authenticated by the session cookie and checked by role. */

const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

async function memberOf(teamId: string, role: Role): Promise<TestSession> {
  return signIn((await addMember(teamId, role)).email);
}

const patchChatbot = (session: TestSession, chatbotId: string, teamId?: string) =>
  SELF.fetch(
    `${BASE}/api/v1/chatbots/${chatbotId}`,
    withSession(session, { method: 'PATCH', body: JSON.stringify({ description: 'edited' }) }, teamId),
  );

describe('cookie sessions on /api/v1', () => {
  it('reads the team’s resources signed in, with no API key', async () => {
    const demo = await seedDemo();
    const viewer = await memberOf(demo.teamId, 'viewer');
    const res = await SELF.fetch(`${BASE}/api/v1/chatbots`, withSession(viewer));
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { id: string }[] };
    expect(data.map((bot) => bot.id)).toEqual([demo.chatbotId]);
  });

  it('enforces roles: a viewer cannot mutate, an editor edits chatbots but not members or keys', async () => {
    const demo = await seedDemo();
    const viewer = await memberOf(demo.teamId, 'viewer');
    const editor = await memberOf(demo.teamId, 'editor');
    const admin = await memberOf(demo.teamId, 'admin');

    const denied = await patchChatbot(viewer, demo.chatbotId);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({
      error: { code: 'forbidden', details: { required: 'chatbots.write', role: 'viewer' } },
    });
    const chat = await SELF.fetch(
      `${BASE}/api/v1/conversations`,
      withSession(viewer, { method: 'POST', body: JSON.stringify({ chatbotId: demo.chatbotId }) }),
    );
    expect(chat.status).toBe(403);

    expect((await patchChatbot(editor, demo.chatbotId)).status).toBe(200);
    const started = await SELF.fetch(
      `${BASE}/api/v1/conversations`,
      withSession(editor, { method: 'POST', body: JSON.stringify({ chatbotId: demo.chatbotId }) }),
    );
    expect(started.status).toBe(201);
    for (const [path, body] of [
      ['/api/v1/api-keys', { name: 'x', scopes: ['read'] }],
      ['/api/v1/invitations', { email: 'someone@parley.test', role: 'viewer' }],
    ] as const) {
      const res = await SELF.fetch(
        `${BASE}${path}`,
        withSession(editor, { method: 'POST', body: JSON.stringify(body) }),
      );
      expect(res.status, path).toBe(403);
    }
    expect((await SELF.fetch(`${BASE}/api/v1/api-keys`, withSession(editor))).status).toBe(403);

    const created = await SELF.fetch(
      `${BASE}/api/v1/api-keys`,
      withSession(admin, { method: 'POST', body: JSON.stringify({ name: 'by admin', scopes: ['read'] }) }),
    );
    expect(created.status).toBe(201);
  });

  it('keeps API keys’ scope rules unchanged: an admin key edits chatbots, a read+chat key does not', async () => {
    const demo = await seedDemo();
    const readChat = await createApiKey(demo.teamId, ['read', 'chat']);
    const edit = (key: string) =>
      SELF.fetch(
        `${BASE}/api/v1/chatbots/${demo.chatbotId}`,
        authed(key, { method: 'PATCH', body: JSON.stringify({ description: 'by key' }) }),
      );
    expect((await edit(readChat)).status).toBe(403);
    expect((await edit(demo.apiKey)).status).toBe(200);
  });

  it('requires the CSRF token on cookie writes but not on API-key writes', async () => {
    const demo = await seedDemo();
    const editor = await memberOf(demo.teamId, 'editor');
    const noToken = await SELF.fetch(`${BASE}/api/v1/chatbots/${demo.chatbotId}`, {
      method: 'PATCH',
      headers: { cookie: editor.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'csrf' }),
    });
    expect(noToken.status).toBe(403);
    expect(await errorCode(noToken)).toBe('csrf_failed');
    const wrongToken = await SELF.fetch(
      `${BASE}/api/v1/chatbots/${demo.chatbotId}`,
      withSession(
        { ...editor, csrfToken: 'f'.repeat(64) },
        { method: 'PATCH', body: JSON.stringify({ description: 'csrf' }) },
      ),
    );
    expect(await errorCode(wrongToken)).toBe('csrf_failed');
    // A page elsewhere cannot read (or open a conversation's WebSocket) with the cookie either.
    const crossOriginRead = await SELF.fetch(
      `${BASE}/api/v1/chatbots`,
      withSession(editor, { headers: { origin: 'https://evil.example' } }),
    );
    expect(crossOriginRead.status).toBe(403);
    expect(
      (await SELF.fetch(`${BASE}/api/v1/chatbots`, withSession(editor, { headers: { origin: BASE } }))).status,
    ).toBe(200);
    const key = await SELF.fetch(
      `${BASE}/api/v1/chatbots/${demo.chatbotId}`,
      authed(demo.apiKey, {
        method: 'PATCH',
        body: JSON.stringify({ description: 'key' }),
        headers: { origin: 'https://evil.example' },
      }),
    );
    expect(key.status).toBe(200);
  });

  it('switches team with X-Parley-Team and refuses a team the person is not in', async () => {
    const teamA = await seedDemo();
    const teamB = await seedDemo();
    const { email, userId } = await addMember(teamA.teamId, 'viewer');
    await database(env.DB)
      .insert(memberships)
      .values({ teamId: teamB.teamId, userId, role: 'editor', createdAt: Date.now() + 1 });
    const session = await signIn(email);

    const list = async (teamId?: string) => {
      const res = await SELF.fetch(`${BASE}/api/v1/chatbots`, withSession(session, {}, teamId));
      return {
        status: res.status,
        ids: res.ok ? ((await res.json()) as { data: { id: string }[] }).data.map((b) => b.id) : [],
      };
    };
    expect(await list()).toEqual({ status: 200, ids: [teamA.chatbotId] });
    expect(await list(teamB.teamId)).toEqual({ status: 200, ids: [teamB.chatbotId] });
    // Editor in B, viewer in A: the role follows the team.
    expect((await patchChatbot(session, teamB.chatbotId, teamB.teamId)).status).toBe(200);
    expect((await patchChatbot(session, teamA.chatbotId, teamA.teamId)).status).toBe(403);

    const stranger = await seedDemo();
    const other = await SELF.fetch(`${BASE}/api/v1/chatbots`, withSession(session, {}, stranger.teamId));
    expect(other.status).toBe(403);
    // Team A's chatbot through team B's context: not found, like any other team's id.
    const cross = await SELF.fetch(
      `${BASE}/api/v1/chatbots/${teamA.chatbotId}`,
      withSession(session, {}, teamB.teamId),
    );
    expect(cross.status).toBe(404);
  });

  it('answers 401 to an expired or unknown session cookie', async () => {
    const res = await SELF.fetch(`${BASE}/api/v1/chatbots`, {
      headers: { cookie: `parley_session=${'A'.repeat(43)}` },
    });
    expect(res.status).toBe(401);
  });
});

import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { WIDGET_TOKEN_SCHEME } from '../worker/widget/api-schemas.ts';
import { EVIL, ORIGIN, openSession, postSession, seedWidget, widgetFetch } from '../worker/widget/testing.ts';
import { signWidgetToken, verifyWidgetToken } from '../worker/widget/token.ts';
import { api, scopedKey } from './api-fixtures.ts';
import { BASE } from './seed.ts';

/**
 * The auth sweep of the widget API: every operation of the OpenAPI document behind a widget token — so a widget route
 * added later is swept without touching this file — refuses no token, a malformed, forged or expired one, an API key,
 * a token whose widget key was revoked and another team's token with the right 4xx, and never shows team A's ids to
 * another team. The session route, behind the public widget key, is swept for unknown and revoked keys and origins.
 */

interface Operation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  responses: Record<string, unknown>;
}
interface Swept {
  method: string;
  path: string;
  upgrade: boolean;
}
interface Session {
  token: string;
  conversationId: string;
}

const SWEEP_TIMEOUT_MS = 30_000;

async function tokenOperations(): Promise<Swept[]> {
  const document = (await (await SELF.fetch(`${BASE}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, Operation>>;
  };
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([, op]) => op.security?.some((requirement) => WIDGET_TOKEN_SCHEME in requirement))
      .map(([method, op]) => ({ method, path, upgrade: '101' in op.responses })),
  );
}

describe('auth sweep over every widget operation in the OpenAPI document', () => {
  let operations: Swept[];
  let a: Session;
  let fileId: string;
  let teamAIds: string[];
  let otherTeam: Session;
  let revoked: Session;

  /** The operation's URL on `session`'s conversation (and team A's file), as the widget calls it. */
  const url = (op: Swept, session: Session) =>
    op.path.replace('{id}', session.conversationId).replace('{fileId}', fileId).replace('/api/widget/v1', '');
  const call = (op: Swept, session: Session, token: string | null, origin: string | null = ORIGIN) => {
    const init: RequestInit & { origin?: string | null } = { method: op.method.toUpperCase(), origin };
    if (op.upgrade) init.headers = { upgrade: 'websocket' };
    if (op.method === 'post') init.body = '{}';
    return widgetFetch(url(op, session), token, init);
  };
  const expectError = async (res: Response, status: number, code: string | null, where: string) => {
    const body = await res.text();
    expect(res.status, `${where} ${body}`).toBe(status);
    if (code) expect(JSON.parse(body), where).toMatchObject({ error: { code } });
    for (const id of teamAIds) expect(body, where).not.toContain(id);
  };

  beforeAll(async () => {
    operations = await tokenOperations();
    const { demo } = await seedWidget();
    a = await openSession({ widgetKey: demo.widgetKey });
    const uploaded = await widgetFetch(`/conversations/${a.conversationId}/uploads?name=a.txt`, a.token, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: new TextEncoder().encode('team A only'),
    });
    expect(uploaded.status).toBe(201);
    fileId = ((await uploaded.json()) as { fileId: string }).fileId;
    teamAIds = [demo.teamId, demo.chatbotId, a.conversationId, fileId];
    otherTeam = await openSession({ widgetKey: (await seedWidget()).demo.widgetKey });
    // A second key of team A, revoked once its session exists.
    const admin = await scopedKey(demo.teamId, ['admin']);
    const created = await api.send(admin, 'POST', `/api/v1/chatbots/${demo.chatbotId}/widget-keys`, {
      allowedOrigins: [ORIGIN],
    });
    const doomed = (await created.json()) as { id: string; key: string };
    revoked = await openSession({ widgetKey: doomed.key });
    expect((await api.send(admin, 'DELETE', `/api/v1/widget-keys/${doomed.id}`)).status).toBeLessThan(300);
  });

  it('sweeps every widget route but the session one, each on the token’s own conversation or file', () => {
    expect(operations.length).toBeGreaterThanOrEqual(8);
    expect(operations.map((op) => op.path)).toEqual(expect.arrayContaining(['/api/widget/v1/files/{fileId}']));
    expect(operations.map((op) => op.path)).not.toContain('/api/widget/v1/sessions');
  });

  it(
    'answers 401 without a token, with a malformed, forged or API key one, and with an expired one',
    async () => {
      const genuine = await verifyWidgetToken(env.ENCRYPTION_KEY, a.token);
      const expired = await signWidgetToken(env.ENCRYPTION_KEY, { ...genuine, exp: Math.floor(Date.now() / 1000) - 1 });
      const [format, payload] = a.token.split('.');
      const forged = `${format}.${payload}.${'A'.repeat(43)}`;
      const apiKey = await scopedKey(genuine.t, ['admin']);
      for (const op of operations) {
        const where = `${op.method} ${op.path}`;
        await expectError(await call(op, a, null), 401, 'invalid_token', `${where} no token`);
        for (const bad of ['not-a-token', 'v1.bad.token', forged, apiKey]) {
          await expectError(await call(op, a, bad), 401, 'invalid_token', `${where} ${bad.slice(0, 12)}`);
        }
        await expectError(await call(op, a, expired), 401, 'token_expired', `${where} expired`);
      }
    },
    SWEEP_TIMEOUT_MS,
  );

  it(
    'answers 401 widget_key_revoked to a token whose widget key was revoked',
    async () => {
      for (const op of operations) {
        await expectError(await call(op, revoked, revoked.token), 401, 'widget_key_revoked', `${op.method} ${op.path}`);
      }
    },
    SWEEP_TIMEOUT_MS,
  );

  it(
    'answers 403 to a genuine token from another page origin, or from none where one is needed',
    async () => {
      for (const op of operations) {
        const where = `${op.method} ${op.path}`;
        await expectError(await call(op, a, a.token, EVIL), 403, 'origin_not_allowed', `${where} evil`);
        // File downloads take no Origin (an <img> sends none); every other route needs the session's.
        if (!op.path.startsWith('/api/widget/v1/files/')) {
          await expectError(await call(op, a, a.token, null), 403, 'origin_not_allowed', `${where} no origin`);
        }
      }
    },
    SWEEP_TIMEOUT_MS,
  );

  it(
    'never lets another team’s (or chatbot’s) token reach team A’s conversation or file, nor see its ids',
    async () => {
      for (const op of operations) {
        await expectError(await call(op, a, otherTeam.token), 404, 'not_found', `${op.method} ${op.path}`);
      }
    },
    SWEEP_TIMEOUT_MS,
  );

  it(
    'lets the token through on its own conversation',
    async () => {
      for (const op of operations.filter((o) => o.method === 'get' && !o.upgrade)) {
        const res = await call(op, a, a.token);
        expect(res.status, `${op.method} ${op.path}`).toBe(200);
        await res.body?.cancel();
      }
    },
    SWEEP_TIMEOUT_MS,
  );

  it('refuses sessions for a missing, unknown or revoked widget key, and for an origin the key does not list', async () => {
    const { demo } = await seedWidget();
    const missing = await postSession({});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      error: { code: 'invalid_request', message: 'Invalid body.widgetKey' },
    });
    for (const widgetKey of ['pk_unknown', (await revokedKey(demo)).key]) {
      const res = await postSession({ widgetKey });
      expect(res.status, widgetKey).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_widget_key' } });
    }
    for (const origin of [EVIL, null]) {
      const res = await postSession({ widgetKey: demo.widgetKey }, origin);
      expect(res.status, String(origin)).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'origin_not_allowed' } });
    }
    // Another team's key asking for team A's conversation gets a conversation of its own.
    const res = await postSession({ widgetKey: (await seedWidget()).demo.widgetKey, conversationId: a.conversationId });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain(a.conversationId);
  });
});

async function revokedKey(demo: { teamId: string; chatbotId: string }): Promise<{ key: string }> {
  const admin = await scopedKey(demo.teamId, ['admin']);
  const created = await api.send(admin, 'POST', `/api/v1/chatbots/${demo.chatbotId}/widget-keys`, {
    allowedOrigins: [ORIGIN],
  });
  const key = (await created.json()) as { id: string; key: string };
  await api.send(admin, 'DELETE', `/api/v1/widget-keys/${key.id}`);
  return key;
}

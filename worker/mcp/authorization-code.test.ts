import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, errorFields } from '../../test/api-fixtures.ts';
import { BASE, seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { systemClock } from '../ports/clock.ts';
import { toolboxFor } from '../tools/toolbox.ts';
import { completeAuthorization, STATE_LIFETIME_MS } from './authorization-code.ts';
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from './fake/oauth.ts';
import { getServer } from './store.ts';
import {
  addSignInServer as addServer,
  oauthCallback as callback,
  fakeMcpUrl,
  tokensIssued as issued,
  startSignIn as signIn,
  storedAuthorizationCode as stored,
} from './testing.ts';

const ports = { clock: systemClock, fetch, signal: new AbortController().signal };
const turnOf = (teamId: string) => ({
  env,
  teamId,
  chatbotId: 'bot_x',
  conversationId: 'conv_x',
  participantId: null,
  clock: systemClock,
});

describe('MCP servers with the OAuth authorization code flow', () => {
  it('registers a client, signs in with PKCE, stores the tokens sealed and calls tools; no token in any answer', async () => {
    const demo = await seedDemo();
    const { id, scope } = await addServer(demo.apiKey);
    const before = await api.get(demo.apiKey, `/api/v1/mcp-servers/${id}`);
    expect(((await before.json()) as { auth: unknown }).auth).toEqual({
      kind: 'oauth2_authorization_code',
      connected: false,
      scopes: scope.split(' '),
    });

    const { authorizationUrl, callback: back } = await signIn(demo.apiKey, id);
    const authorize = new URL(authorizationUrl);
    expect(authorize.pathname).toBe('/oauth/authorize');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('scope')).toBe(scope);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${BASE}/api/v1/mcp-servers/oauth/callback`);
    expect(back.startsWith(`${BASE}/api/v1/mcp-servers/oauth/callback?code=`)).toBe(true);

    const done = await callback(back);
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/#/mcp-servers');
    const auth = await stored(demo.teamId, id);
    expect(auth.client?.client_id).toMatch(/^client-/);
    expect(auth.tokens?.refresh_token).toMatch(/^rt-/);
    expect(auth.pending).toBeUndefined();
    const row = await getServer(database(env.DB), demo.teamId, id);
    expect(row?.sealedAuth).not.toContain(auth.tokens?.access_token ?? 'missing');

    const refreshed = await api.send(demo.apiKey, 'POST', `/api/v1/mcp-servers/${id}/tools/refresh`);
    const outcome = await refreshed.text();
    expect(JSON.parse(outcome)).toMatchObject({ ok: true, message: 'Connected: 5 tools' });
    const listed = await (await api.get(demo.apiKey, '/api/v1/mcp-servers')).text();
    for (const text of [outcome, listed]) {
      expect(text).toContain('"connected":true');
      expect(text).not.toContain(auth.tokens?.access_token ?? 'missing');
      expect(text).not.toContain(auth.tokens?.refresh_token ?? 'missing');
      expect(text).not.toContain(String(auth.client?.client_secret));
    }
    const toolbox = await toolboxFor(turnOf(demo.teamId), [`mcp:${id}`]);
    expect(await toolbox.run({ id: 'c1', name: 'echo', arguments: '{"text":"hi"}' }, ports)).toMatchObject({
      ok: true,
      output: '"echo: hi"',
    });
    // The one token from the code exchange served the listing and the call.
    expect(await issued(scope)).toBe(1);
  });

  it('uses a pre-registered client when one is configured', async () => {
    const demo = await seedDemo();
    const { id } = await addServer(demo.apiKey, { clientId: OAUTH_CLIENT_ID, clientSecret: OAUTH_CLIENT_SECRET });
    const { authorizationUrl, callback: back } = await signIn(demo.apiKey, id);
    expect(new URL(authorizationUrl).searchParams.get('client_id')).toBe(OAUTH_CLIENT_ID);
    expect((await callback(back)).status).toBe(302);
    const auth = await stored(demo.teamId, id);
    expect(auth.client).toBeUndefined();
    expect(auth.tokens?.access_token).toMatch(/^tok-/);
  });

  it('refreshes an expired token and one the server refused (401), storing the new tokens sealed', async () => {
    const demo = await seedDemo();
    // The fake's tokens for a `short-lived` scope last 1 s, inside the 30 s margin: every use refreshes first.
    const { id } = await addServer(demo.apiKey, { scopes: ['short-lived', `test:${crypto.randomUUID()}`] });
    await callback((await signIn(demo.apiKey, id)).callback);
    const first = await stored(demo.teamId, id);
    const toolbox = await toolboxFor(turnOf(demo.teamId), [`mcp:${id}`]);
    const call = () => toolbox.run({ id: 'c1', name: 'echo', arguments: '{"text":"x"}' }, ports);
    const result = await call();
    expect(result).toMatchObject({ ok: true, output: '"echo: x"' });
    const second = await stored(demo.teamId, id);
    expect(second.tokens?.access_token).not.toBe(first.tokens?.access_token);
    expect(second.tokens?.refresh_token).not.toBe(first.tokens?.refresh_token);

    // A long-lived server whose token the authorization server revokes: the 401 makes the client refresh once.
    const other = await addServer(demo.apiKey);
    await callback((await signIn(demo.apiKey, other.id)).callback);
    const live = await stored(demo.teamId, other.id);
    const revoke = fakeMcpUrl(`/oauth/revoke?token=${encodeURIComponent(live.tokens?.access_token ?? '')}`);
    expect((await fetch(revoke, { method: 'POST' })).ok).toBe(true);
    const again = await toolboxFor(turnOf(demo.teamId), [`mcp:${other.id}`]);
    expect(await again.run({ id: 'c2', name: 'echo', arguments: '{"text":"y"}' }, ports)).toMatchObject({
      ok: true,
      output: '"echo: y"',
    });
    expect(await issued(other.scope)).toBe(2);
    expect((await stored(demo.teamId, other.id)).tokens?.access_token).not.toBe(live.tokens?.access_token);
  });

  it('refuses a bad, reused, replaced or expired state with 400 and stays disconnected', async () => {
    const demo = await seedDemo();
    const { id } = await addServer(demo.apiKey);
    const { callback: back } = await signIn(demo.apiKey, id);
    const url = new URL(back);

    const forged = new URL(url);
    forged.searchParams.set('state', `${url.searchParams.get('state')}x`);
    const bad = await callback(forged.toString());
    expect(bad.status).toBe(400);
    expect(await errorFields(bad)).toEqual(['query.state']);
    const missing = await SELF.fetch(`${BASE}/api/v1/mcp-servers/oauth/callback?code=x`);
    expect(missing.status).toBe(400);
    expect(await errorFields(missing)).toEqual(['query.state']);

    // A newer Connect replaces the pending sign-in: the older state no longer works.
    const newer = await signIn(demo.apiKey, id);
    expect((await callback(back)).status).toBe(400);
    expect((await stored(demo.teamId, id)).tokens).toBeUndefined();
    expect((await callback(newer.callback)).status).toBe(302);
    const reused = await callback(newer.callback);
    expect(reused.status).toBe(400);
    expect(((await reused.json()) as { error: { code: string } }).error.code).toBe('invalid_state');

    // Ten minutes later the state has expired.
    const late = await signIn(demo.apiKey, id);
    const lateUrl = new URL(late.callback);
    const expired = completeAuthorization(
      env,
      database(env.DB),
      lateUrl.searchParams.get('code') ?? '',
      lateUrl.searchParams.get('state') ?? '',
      Date.now() + STATE_LIFETIME_MS + 1,
    );
    await expect(expired).rejects.toMatchObject({ status: 400, code: 'invalid_state' });
  });

  it("keeps teams apart: B cannot start A's flow, nor finish its own with A's code", async () => {
    const a = await seedDemo();
    const b = await seedDemo();
    const serverA = await addServer(a.apiKey);
    const serverB = await addServer(b.apiKey);
    expect((await api.send(b.apiKey, 'POST', `/api/v1/mcp-servers/${serverA.id}/oauth/start`)).status).toBe(404);
    const flowA = new URL((await signIn(a.apiKey, serverA.id)).callback);
    const flowB = new URL((await signIn(b.apiKey, serverB.id)).callback);
    const mixed = new URL(flowB);
    mixed.searchParams.set('code', flowA.searchParams.get('code') ?? '');
    const refused = await callback(mixed.toString());
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('oauth_failed');
    expect((await stored(b.teamId, serverB.id)).tokens).toBeUndefined();
    expect((await stored(a.teamId, serverA.id)).tokens).toBeUndefined();
  });

  it('answers 400 naming auth.kind when the server uses another auth', async () => {
    const demo = await seedDemo();
    const created = await api.send(demo.apiKey, 'POST', '/api/v1/mcp-servers', { name: 'Plain', url: fakeMcpUrl() });
    const { id } = (await created.json()) as { id: string };
    const started = await api.send(demo.apiKey, 'POST', `/api/v1/mcp-servers/${id}/oauth/start`);
    expect(started.status).toBe(400);
    expect(await errorFields(started)).toEqual(['auth.kind']);
  });
});

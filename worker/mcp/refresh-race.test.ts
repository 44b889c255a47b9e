import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { systemClock } from '../ports/clock.ts';
import { toolboxFor } from '../tools/toolbox.ts';
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from './fake/oauth.ts';
import { forgetRefreshes } from './refresh-flights.ts';
import { getServer } from './store.ts';
import {
  addSignInServer,
  fakeMcpServer,
  fakeMcpUrl,
  oauthCallback,
  startSignIn,
  storedAuthorizationCode,
  tokenRequests,
  tokensIssued,
} from './testing.ts';

const ports = () => ({ clock: systemClock, fetch, signal: new AbortController().signal });
/** A turn's toolbox with the server's tools: each one reads the row once, as a turn does. */
const turnTools = (teamId: string, serverId: string, conversationId = `conv_${crypto.randomUUID()}`) =>
  toolboxFor({ env, teamId, chatbotId: 'bot_x', conversationId, participantId: null, clock: systemClock }, [
    `mcp:${serverId}`,
  ]);
const echo = (toolbox: Awaited<ReturnType<typeof turnTools>>, text: string) =>
  toolbox.run({ id: `c_${text}`, name: 'echo', arguments: JSON.stringify({ text }) }, ports());

/** A server signed in through the fake authorization server; `clientId` is its registered client's. */
async function signedIn(scopes?: string[]) {
  const demo = await seedDemo();
  const server = await addSignInServer(demo.apiKey, scopes ? { scopes } : {});
  expect((await oauthCallback((await startSignIn(demo.apiKey, server.id)).callback)).status).toBe(302);
  const auth = await storedAuthorizationCode(demo.teamId, server.id);
  const clientId = auth.client?.client_id ?? '';
  expect(clientId).toMatch(/^client-/);
  return { demo, id: server.id, auth, clientId, requests: () => tokenRequests(clientId) };
}

/**
 * Refresh tokens rotate (the fake's, like OAuth 2.1 servers', work once): concurrent tool calls after expiry must
 * refresh once, and the rotated token must be stored for the next isolate (worker/mcp/refresh-flights.ts).
 */
describe('refreshing rotating OAuth tokens under concurrent tool calls', () => {
  it('refreshes once for concurrent calls after expiry, stores the rotated token sealed, and the next isolate uses it', async () => {
    // The fake's tokens for a `short-lived` scope last 1 s, inside the 30 s margin: every new connection refreshes.
    const { demo, id, auth, requests } = await signedIn(['short-lived', `test:${crypto.randomUUID()}`]);
    expect(await requests()).toBe(1); // the code exchange
    forgetRefreshes();
    // Three turns (three conversations) call the server at the same moment, each with the row it read.
    const toolboxes = await Promise.all([1, 2, 3].map(() => turnTools(demo.teamId, id)));
    const results = await Promise.all(toolboxes.map((toolbox, i) => echo(toolbox, `call ${i}`)));
    expect(results.map((result) => result.output)).toEqual(['"echo: call 0"', '"echo: call 1"', '"echo: call 2"']);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(await requests()).toBe(2); // one refresh for all three

    const rotated = await storedAuthorizationCode(demo.teamId, id);
    expect(rotated.tokens?.refresh_token).toMatch(/^rt-/);
    expect(rotated.tokens?.refresh_token).not.toBe(auth.tokens?.refresh_token);
    const row = await getServer(database(env.DB), demo.teamId, id);
    expect(row?.sealedAuth).not.toContain(rotated.tokens?.refresh_token ?? 'missing');

    // Another isolate shares no memory: it reads the row, refreshes with the stored (rotated) token and is not refused.
    forgetRefreshes();
    const next = await echo(await turnTools(demo.teamId, id), 'next isolate');
    expect(next).toMatchObject({ ok: true, output: '"echo: next isolate"' });
    expect(await requests()).toBe(3);
    const again = await storedAuthorizationCode(demo.teamId, id);
    expect(again.tokens?.refresh_token).not.toBe(rotated.tokens?.refresh_token);
  });

  it('a call holding a refresh token another isolate spent reads the stored tokens again instead of failing', async () => {
    const { demo, id, auth, requests } = await signedIn();
    // This turn read the row now; its token is revoked, so its first request is answered 401.
    const stale = await turnTools(demo.teamId, id);
    const revoke = fakeMcpUrl(`/oauth/revoke?token=${encodeURIComponent(auth.tokens?.access_token ?? '')}`);
    expect((await fetch(revoke, { method: 'POST' })).ok).toBe(true);
    // "Another isolate" refreshes first: it spends the refresh token the stale turn holds and stores the new one.
    forgetRefreshes();
    expect(await echo(await turnTools(demo.teamId, id), 'first')).toMatchObject({ ok: true });
    expect(await requests()).toBe(2);
    forgetRefreshes();
    // The stale turn's refresh is refused (the fake rotates), so it reads the row and uses the stored token.
    expect(await echo(stale, 'stale')).toMatchObject({ ok: true, output: '"echo: stale"' });
    expect(await requests()).toBe(3);
    const stored = await storedAuthorizationCode(demo.teamId, id);
    expect(stored.tokens?.refresh_token).not.toBe(auth.tokens?.refresh_token);
  });

  it('a refresh the server refuses with nothing newer stored still says to press Connect', async () => {
    const { demo, id, auth } = await signedIn();
    const stale = await turnTools(demo.teamId, id);
    const revoke = fakeMcpUrl(`/oauth/revoke?token=${encodeURIComponent(auth.tokens?.access_token ?? '')}`);
    expect((await fetch(revoke, { method: 'POST' })).ok).toBe(true);
    // Spend the refresh token at the fake directly: the row keeps the spent one, as after a lost write.
    const spent = await fetch(fakeMcpUrl('/oauth/token'), {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${auth.client?.client_id}:${auth.client?.client_secret}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: auth.tokens?.refresh_token ?? '' }),
    });
    expect(spent.status).toBe(200);
    forgetRefreshes();
    const result = await echo(stale, 'refused');
    expect(result.ok).toBe(false);
    expect(result.output).toContain('press Connect');
  });

  it('client credentials: concurrent calls with no cached token ask the token endpoint once', async () => {
    const demo = await seedDemo();
    const scope = `test:${crypto.randomUUID()}`;
    const row = await fakeMcpServer(
      demo.teamId,
      ['echo'],
      {
        kind: 'oauth2_client_credentials',
        tokenUrl: fakeMcpUrl('/oauth/token'),
        clientId: OAUTH_CLIENT_ID,
        clientSecret: OAUTH_CLIENT_SECRET,
        scopes: [scope],
      },
      '/oauth/mcp',
    );
    const toolboxes = await Promise.all([1, 2, 3].map(() => turnTools(demo.teamId, row.id)));
    const results = await Promise.all(toolboxes.map((toolbox, i) => echo(toolbox, `cc ${i}`)));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(await tokensIssued(scope)).toBe(1);
  });
});

import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, errorFields } from '../../test/api-fixtures.ts';
import { seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { systemClock } from '../ports/clock.ts';
import { toolboxFor } from '../tools/toolbox.ts';
import { OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from './fake/oauth.ts';
import { refreshTools } from './list-tools.ts';
import { type ClientCredentials, clientCredentialsTokens, EXPIRY_MARGIN_MS } from './oauth.ts';
import { getServer, viewOf } from './store.ts';
import { fakeMcpServer, fakeMcpUrl } from './testing.ts';

/** Client credentials for the fake token endpoint, with a scope of its own so the fake's counts are this test's. */
function credentials(extra: Partial<ClientCredentials> = {}, query = ''): ClientCredentials {
  return {
    kind: 'oauth2_client_credentials',
    tokenUrl: fakeMcpUrl(`/oauth/token${query}`),
    clientId: OAUTH_CLIENT_ID,
    clientSecret: OAUTH_CLIENT_SECRET,
    scopes: ['tools:call', `test:${crypto.randomUUID()}`],
    ...extra,
  };
}

/** Tokens the fake issued for these credentials' scope. */
async function issued(auth: ClientCredentials): Promise<number> {
  const counts = (await (await fetch(fakeMcpUrl('/oauth/issued'))).json()) as Record<string, number>;
  return counts[(auth.scopes ?? []).join(' ')] ?? 0;
}

const ports = { clock: systemClock, fetch, signal: new AbortController().signal };
const turnOf = (teamId: string) => ({
  env,
  teamId,
  chatbotId: 'bot_x',
  conversationId: 'conv_x',
  participantId: null,
  clock: systemClock,
});

describe('MCP servers with OAuth 2 client credentials', () => {
  it('lists and calls tools with a token from the endpoint, caches the token, and never shows the secret', async () => {
    const demo = await seedDemo();
    const auth = credentials();
    const row = await fakeMcpServer(demo.teamId, ['echo'], auth, '/oauth/mcp');
    expect(row.sealedAuth).not.toContain(OAUTH_CLIENT_SECRET);
    const tools = await refreshTools(env, database(env.DB), row);
    expect(tools.map((tool) => tool.name)).toContain('echo');
    const fresh = await getServer(database(env.DB), demo.teamId, row.id);
    if (!fresh) throw new Error('server row vanished');
    const view = await viewOf(env, fresh);
    expect(view.auth).toEqual({
      kind: 'oauth2_client_credentials',
      tokenUrl: auth.tokenUrl,
      clientId: OAUTH_CLIENT_ID,
      scopes: auth.scopes,
    });
    expect(JSON.stringify(view)).not.toContain(OAUTH_CLIENT_SECRET);

    const toolbox = await toolboxFor(turnOf(demo.teamId), [`mcp:${row.id}`]);
    const call = () => toolbox.run({ id: 'c1', name: 'echo', arguments: '{"text":"hi"}' }, ports);
    expect(await call()).toMatchObject({ ok: true, output: '"echo: hi"' });
    expect(await call()).toMatchObject({ ok: true, output: '"echo: hi"' });
    // One token served the listing and both calls (this isolate's cache).
    expect(await issued(auth)).toBe(1);
  });

  it('fetches a new token after a 401 and retries the request once', async () => {
    const demo = await seedDemo();
    const auth = credentials();
    const row = await fakeMcpServer(demo.teamId, ['echo'], auth, '/oauth/mcp');
    await refreshTools(env, database(env.DB), row);
    expect(await issued(auth)).toBe(1);
    // The server revokes every token: the cached one now answers 401.
    expect((await fetch(fakeMcpUrl('/oauth/revoke'), { method: 'POST' })).ok).toBe(true);
    const toolbox = await toolboxFor(turnOf(demo.teamId), [`mcp:${row.id}`]);
    expect(await toolbox.run({ id: 'c1', name: 'echo', arguments: '{"text":"again"}' }, ports)).toMatchObject({
      ok: true,
      output: '"echo: again"',
    });
    expect(await issued(auth)).toBe(2);
  });

  it('keeps a token until shortly before it expires, then fetches a new one', async () => {
    let now = 1_000_000;
    const auth = credentials({}, '?expires_in=120');
    const tokens = clientCredentialsTokens(env, `test-${crypto.randomUUID()}`, auth, () => now);
    const first = await tokens.get();
    now += 120_000 - EXPIRY_MARGIN_MS - 1_000;
    expect(await tokens.get()).toBe(first);
    expect(await issued(auth)).toBe(1);
    now += 2_000;
    const second = await tokens.get();
    expect(second).not.toBe(first);
    expect(await issued(auth)).toBe(2);
  });

  it('reports a refused client without its secret', async () => {
    const demo = await seedDemo();
    const wrong = 'not-the-secret-at-all';
    const row = await fakeMcpServer(demo.teamId, ['echo'], credentials({ clientSecret: wrong }), '/oauth/mcp');
    const failed = await refreshTools(env, database(env.DB), row).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/refused the client \(401: invalid_client\)/);
    expect((failed as Error).message).not.toContain(wrong);
  });

  it('takes OAuth auth through the API, naming a bad field', async () => {
    const { apiKey } = await seedDemo();
    const bad = await api.send(apiKey, 'POST', '/api/v1/mcp-servers', {
      name: 'OAuth',
      url: fakeMcpUrl('/oauth/mcp'),
      auth: { ...credentials(), tokenUrl: 'ftp://example.com/token' },
    });
    expect(bad.status).toBe(400);
    expect(await errorFields(bad)).toContain('body.auth.tokenUrl');

    const created = await api.send(apiKey, 'POST', '/api/v1/mcp-servers', {
      name: 'OAuth',
      url: fakeMcpUrl('/oauth/mcp'),
      auth: credentials(),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const refreshed = await api.send(apiKey, 'POST', `/api/v1/mcp-servers/${id}/tools/refresh`);
    const outcome = (await refreshed.json()) as { ok: boolean; message: string };
    expect(outcome).toMatchObject({ ok: true, message: 'Connected: 5 tools' });
    expect(JSON.stringify(outcome)).not.toContain(OAUTH_CLIENT_SECRET);
  });
});

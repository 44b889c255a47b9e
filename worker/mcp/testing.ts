import { env, SELF } from 'cloudflare:test';
import { expect, inject } from 'vitest';
import { api } from '../../test/api-fixtures.ts';
import { database } from '../db/client.ts';
import type { AuthorizationCode } from './oauth-provider.ts';
import { openAuth } from './sealed-auth.ts';
import { createServer as createMcpServer, getServer, type McpAuth } from './store.ts';

/** The fake MCP server's endpoint (worker/mcp/fake/server.ts), started by test/global-setup.ts. */
export const fakeMcpUrl = (path = '/mcp') => `${inject('fakeServers').mcp}${path}`;

/** A server row of `teamId` pointing at the fake, allowing `allowed`. */
export function fakeMcpServer(teamId: string, allowed: string[], auth: McpAuth = { kind: 'none' }, path = '/mcp') {
  return createMcpServer(env, database(env.DB), teamId, {
    name: 'Fake tools',
    url: fakeMcpUrl(path),
    transport: 'streamable-http',
    auth,
    allowedTools: allowed,
  });
}

/**
 * A server behind the fake's authorization server (authorization code flow), through the API, with a scope of its
 * own so the fake's token counts are this test's.
 */
export async function addSignInServer(apiKey: string, extra: Record<string, unknown> = {}) {
  const scope = `test:${crypto.randomUUID()}`;
  const created = await api.send(apiKey, 'POST', '/api/v1/mcp-servers', {
    name: 'Signed in',
    url: fakeMcpUrl('/authcode/mcp'),
    auth: { kind: 'oauth2_authorization_code', scopes: ['tools', scope], ...extra },
    allowedTools: ['echo'],
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  return { id, scope: `tools ${scope}` };
}

/** POST …/oauth/start, then what a browser does at the fake's /authorize: the redirect's code and state. */
export async function startSignIn(apiKey: string, id: string): Promise<{ authorizationUrl: string; callback: string }> {
  const started = await api.send(apiKey, 'POST', `/api/v1/mcp-servers/${id}/oauth/start`);
  expect(started.status).toBe(200);
  const { authorizationUrl } = (await started.json()) as { authorizationUrl: string };
  const approved = await fetch(authorizationUrl, { redirect: 'manual' });
  expect(approved.status).toBe(302);
  return { authorizationUrl, callback: approved.headers.get('location') ?? '' };
}

/** The browser landing on our callback URL (public: its state authenticates it). */
export const oauthCallback = (url: string) => SELF.fetch(url, { redirect: 'manual' });

/** The server's auth as stored, opened. */
export async function storedAuthorizationCode(teamId: string, id: string): Promise<AuthorizationCode> {
  const row = await getServer(database(env.DB), teamId, id);
  if (!row) throw new Error('server row vanished');
  return (await openAuth(env, row)) as AuthorizationCode;
}

/** Access tokens the fake issued for `scope` (code exchanges and refreshes). */
export async function tokensIssued(scope: string): Promise<number> {
  const counts = (await (await fetch(fakeMcpUrl('/oauth/issued'))).json()) as Record<string, number>;
  return counts[scope] ?? 0;
}

/** Requests that reached the fake's token endpoint from `clientId`, refused ones included. */
export async function tokenRequests(clientId: string): Promise<number> {
  const counts = (await (await fetch(fakeMcpUrl('/oauth/token-requests'))).json()) as Record<string, number>;
  return counts[clientId] ?? 0;
}

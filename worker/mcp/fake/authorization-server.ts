/**
 * A fake OAuth 2.1 authorization server for the MCP authorization code flow (the MCP authorization spec: RFC 9728
 * protected-resource metadata, RFC 8414 server metadata, RFC 7591 dynamic registration, PKCE S256), served by the fake
 * MCP server on the same port:
 * - `GET /.well-known/oauth-protected-resource/authcode/mcp`: the resource `/authcode/mcp` and this server.
 * - `GET /.well-known/oauth-authorization-server`: the endpoints below.
 * - `POST /oauth/register`: registers a client (JSON metadata with `redirect_uris`), answers a client id and secret.
 *   The client `OAUTH_CLIENT_ID` / `OAUTH_CLIENT_SECRET` of oauth.ts is pre-registered for any redirect URI.
 * - `GET /oauth/authorize`: no sign-in page — redirects at once to `redirect_uri?code&state` (a person would approve).
 * - `POST /oauth/token` with `grant_type=authorization_code` (PKCE S256 checked, code single use) or
 *   `refresh_token` (rotated). Tokens of a scope containing `short-lived` expire in 1 s (tests of refreshing).
 * - `GET /oauth/token-requests`: how many requests reached the token endpoint with the authorization code or
 *   refresh grant, per client id, refused ones included (tests count refreshes under concurrent calls).
 * `/authcode/mcp` (server.ts) accepts only a live access token.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientOf, issueAccessToken, json, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET } from './oauth.ts';

export const PROTECTED_PATH = '/authcode/mcp';

interface Client {
  secret: string;
  redirectUris: string[] | 'any';
}
interface Grant {
  clientId: string;
  scope: string;
}

/** Bounded like the fake's logs: the fake runs for the whole test run. */
const MAX_ENTRIES = 1_000;
const clients = new Map<string, Client>([[OAUTH_CLIENT_ID, { secret: OAUTH_CLIENT_SECRET, redirectUris: 'any' }]]);
const codes = new Map<string, Grant & { redirectUri: string; challenge: string }>();
const refreshTokens = new Map<string, Grant>();
/** Token endpoint requests per client id (authenticated or not), refused ones included. */
const tokenRequests = new Map<string, number>();

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value as string);
  map.set(key, value);
}

/** client_secret_basic or client_secret_post (RFC 6749 §2.3.1). */
function authenticate(req: IncomingMessage, form: URLSearchParams): string | undefined {
  const basic = clientOf(req);
  const id = basic?.id ?? form.get('client_id') ?? '';
  const secret = basic?.secret ?? form.get('client_secret') ?? '';
  return clients.get(id)?.secret === secret ? id : undefined;
}

function issue(res: ServerResponse, grant: Grant): void {
  const expiresIn = grant.scope.includes('short-lived') ? 1 : 3600;
  const refreshToken = `rt-${randomUUID()}`;
  remember(refreshTokens, refreshToken, grant);
  json(res, 200, {
    access_token: issueAccessToken(expiresIn, grant.scope),
    token_type: 'Bearer',
    expires_in: expiresIn,
    refresh_token: refreshToken,
    scope: grant.scope,
  });
}

function token(req: IncomingMessage, res: ServerResponse, form: URLSearchParams): void {
  const presentedClient = clientOf(req)?.id ?? form.get('client_id') ?? '';
  remember(tokenRequests, presentedClient, (tokenRequests.get(presentedClient) ?? 0) + 1);
  const clientId = authenticate(req, form);
  if (!clientId) return void json(res, 401, { error: 'invalid_client' });
  if (form.get('grant_type') === 'refresh_token') {
    const presented = form.get('refresh_token') ?? '';
    const grant = refreshTokens.get(presented);
    if (grant?.clientId !== clientId) return void json(res, 400, { error: 'invalid_grant' });
    refreshTokens.delete(presented);
    return void issue(res, grant);
  }
  const presented = form.get('code') ?? '';
  const code = codes.get(presented);
  codes.delete(presented);
  const verifier = form.get('code_verifier') ?? '';
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  if (code?.clientId !== clientId || code.redirectUri !== form.get('redirect_uri') || code.challenge !== challenge)
    return void json(res, 400, { error: 'invalid_grant' });
  issue(res, code);
}

function authorize(res: ServerResponse, query: URLSearchParams): void {
  const client = clients.get(query.get('client_id') ?? '');
  const redirectUri = query.get('redirect_uri') ?? '';
  if (!client || (client.redirectUris !== 'any' && !client.redirectUris.includes(redirectUri)))
    return void json(res, 400, { error: 'invalid_request', error_description: 'unknown client or redirect_uri' });
  if (query.get('response_type') !== 'code' || query.get('code_challenge_method') !== 'S256')
    return void json(res, 400, { error: 'invalid_request', error_description: 'response_type=code with PKCE S256' });
  const code = `code-${randomUUID()}`;
  remember(codes, code, {
    clientId: query.get('client_id') ?? '',
    redirectUri,
    challenge: query.get('code_challenge') ?? '',
    scope: query.get('scope') ?? '',
  });
  const back = new URL(redirectUri);
  back.searchParams.set('code', code);
  const state = query.get('state');
  if (state !== null) back.searchParams.set('state', state);
  res.writeHead(302, { location: back.toString() }).end();
}

function register(res: ServerResponse, body: string): void {
  let metadata: { redirect_uris?: unknown };
  try {
    metadata = JSON.parse(body) as typeof metadata;
  } catch {
    return void json(res, 400, { error: 'invalid_client_metadata' });
  }
  const uris = metadata.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0 || !uris.every((u) => typeof u === 'string'))
    return void json(res, 400, { error: 'invalid_redirect_uri' });
  const id = `client-${randomUUID()}`;
  const secret = `secret-${randomUUID()}`;
  remember(clients, id, { secret, redirectUris: uris as string[] });
  json(res, 201, {
    ...metadata,
    client_id: id,
    client_secret: secret,
    client_id_issued_at: Math.floor(Date.now() / 1000),
  });
}

/** Answers the authorization code flow's paths; false for any other. */
export function handleAuthorizationServer(req: IncomingMessage, res: ServerResponse, body: string): boolean {
  const url = new URL(req.url ?? '/', 'http://fake');
  const origin = `http://${req.headers.host}`;
  if (url.pathname === `/.well-known/oauth-protected-resource${PROTECTED_PATH}`) {
    json(res, 200, { resource: `${origin}${PROTECTED_PATH}`, authorization_servers: [origin] });
  } else if (url.pathname === '/.well-known/oauth-authorization-server') {
    json(res, 200, {
      issuer: origin,
      authorization_endpoint: `${origin}/oauth/authorize`,
      token_endpoint: `${origin}/oauth/token`,
      registration_endpoint: `${origin}/oauth/register`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
  } else if (url.pathname === '/oauth/token-requests' && req.method === 'GET') {
    json(res, 200, Object.fromEntries(tokenRequests));
  } else if (url.pathname === '/oauth/register' && req.method === 'POST') {
    register(res, body);
  } else if (url.pathname === '/oauth/authorize' && req.method === 'GET') {
    authorize(res, url.searchParams);
  } else if (url.pathname === '/oauth/token' && req.method === 'POST') {
    const form = new URLSearchParams(body);
    const grant = form.get('grant_type');
    if (grant !== 'authorization_code' && grant !== 'refresh_token') return false;
    token(req, res, form);
  } else return false;
  return true;
}

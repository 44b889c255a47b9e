/**
 * A fake OAuth 2 token endpoint (client credentials grant, RFC 6749 §4.4) served by the fake MCP server on the same
 * port, for worker/mcp's OAuth tests:
 * - `POST /oauth/token[?expires_in=N]`: Basic auth with client `OAUTH_CLIENT_ID` / `OAUTH_CLIENT_SECRET`, form body
 *   `grant_type=client_credentials`; answers a new random access token valid N seconds (default 3600), or 401
 *   `invalid_client`.
 * - `POST /oauth/revoke[?token=T]`: every token issued so far (or just T) stops working (the next MCP call gets 401).
 * - The authorization code grant's endpoints and metadata: authorization-server.ts.
 * - `GET /oauth/issued`: how many tokens were issued, per requested scope string (tests count refreshes).
 * `/oauth/mcp` (server.ts) accepts only a live token.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const OAUTH_CLIENT_ID = 'parley-client';
export const OAUTH_CLIENT_SECRET = 'parley-client-secret';

/** Token → when it stops working (ms). */
const live = new Map<string, number>();
const issued = new Map<string, number>();

/** A new access token valid `expiresIn` seconds, counted under its scope string (authorization-server.ts uses it too). */
export function issueAccessToken(expiresIn: number, scope: string): string {
  const token = `tok-${randomUUID()}`;
  live.set(token, Date.now() + expiresIn * 1000);
  issued.set(scope, (issued.get(scope) ?? 0) + 1);
  return token;
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

export function validAccessToken(header: string | undefined): boolean {
  const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
  const until = token === undefined ? undefined : live.get(token);
  return until !== undefined && until > Date.now();
}

export function clientOf(req: IncomingMessage): { id: string; secret: string } | undefined {
  const header = req.headers.authorization;
  if (!header?.startsWith('Basic ')) return undefined;
  const [id, secret] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  if (id === undefined || secret === undefined) return undefined;
  return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
}

/** Answers the `/oauth/*` paths; false for any other path. */
export function handleOAuth(req: IncomingMessage, res: ServerResponse, body: string): boolean {
  const url = new URL(req.url ?? '/', 'http://fake');
  if (url.pathname === '/oauth/issued') {
    json(res, 200, Object.fromEntries(issued));
    return true;
  }
  if (url.pathname === '/oauth/revoke' && req.method === 'POST') {
    const one = url.searchParams.get('token');
    if (one === null) live.clear();
    else live.delete(one);
    json(res, 200, { revoked: true });
    return true;
  }
  if (url.pathname !== '/oauth/token') return false;
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST' }).end();
    return true;
  }
  const form = new URLSearchParams(body);
  const client = clientOf(req);
  if (client?.id !== OAUTH_CLIENT_ID || client.secret !== OAUTH_CLIENT_SECRET) {
    json(res, 401, { error: 'invalid_client' });
    return true;
  }
  if (form.get('grant_type') !== 'client_credentials') {
    json(res, 400, { error: 'unsupported_grant_type' });
    return true;
  }
  const expiresIn = Number(url.searchParams.get('expires_in') ?? 3600);
  const scope = form.get('scope') ?? '';
  const token = issueAccessToken(expiresIn, scope);
  json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope });
  return true;
}

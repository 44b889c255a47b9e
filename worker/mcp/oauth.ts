import type { Env } from '../env.ts';
import { readCapped } from '../knowledge/documents/read-body.ts';
import { outboundFetch } from '../security/outbound-fetch.ts';

/** OAuth 2 client credentials (RFC 6749 §4.4) for an MCP server: the token endpoint and the client's secret. */
export interface ClientCredentials {
  kind: 'oauth2_client_credentials';
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scopes?: string[];
}

/** A token answer is a small JSON object; anything bigger is not a token endpoint. */
const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;
/** Fetch a new token this long before the old one expires, so a call never starts with a token about to lapse. */
export const EXPIRY_MARGIN_MS = 30_000;
/** A token without `expires_in` is kept this long (the RFC leaves its lifetime to the server's documentation). */
const DEFAULT_LIFETIME_MS = 5 * 60_000;
/** Tokens cached per isolate: one per server in use; an isolate serves many teams, so the map is bounded. */
const MAX_CACHED_TOKENS = 500;

interface CachedToken {
  token: string;
  expiresAt: number;
}

/**
 * Tokens of this isolate, keyed by server id and its sealed auth: a changed secret seals differently, so a PATCH of
 * the auth never reuses the old client's token. Memory only, never stored or logged.
 */
const cache = new Map<string, CachedToken>();
/**
 * Token requests in flight, by the same key: concurrent calls that find no usable token share one request instead of
 * each asking the endpoint (a turn's calls, or several conversations of this isolate, right after expiry).
 */
const inFlight = new Map<string, Promise<string>>();

export class OAuthTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OAuthTokenError';
  }
}

/** Asks the token endpoint for an access token (client_secret_basic, which RFC 6749 §2.3.1 requires servers to take). */
async function requestToken(env: Env, auth: ClientCredentials, now: number): Promise<CachedToken> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (auth.scopes && auth.scopes.length > 0) form.set('scope', auth.scopes.join(' '));
  // §2.3.1: client id and secret are form-urlencoded before the Basic encoding.
  const basic = btoa(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.clientSecret)}`);
  const response = await outboundFetch(env)(auth.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: form.toString(),
  });
  const host = new URL(auth.tokenUrl).host;
  const bytes = await readCapped(
    response.body,
    response.headers.get('content-length'),
    MAX_TOKEN_RESPONSE_BYTES,
    () => new OAuthTokenError(`the token endpoint at ${host} answered more than ${MAX_TOKEN_RESPONSE_BYTES} bytes`),
  );
  let body: { access_token?: unknown; expires_in?: unknown; error?: unknown };
  try {
    body = JSON.parse(new TextDecoder().decode(bytes)) as typeof body;
  } catch {
    throw new OAuthTokenError(`the token endpoint at ${host} answered ${response.status} without JSON`);
  }
  if (!response.ok || typeof body.access_token !== 'string' || body.access_token === '') {
    // The error code (e.g. invalid_client) helps the admin; the body may echo input, so nothing else is shown.
    const code = typeof body.error === 'string' ? `: ${body.error.slice(0, 100)}` : '';
    throw new OAuthTokenError(`the token endpoint at ${host} refused the client (${response.status}${code})`);
  }
  const lifetime =
    typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : DEFAULT_LIFETIME_MS;
  return { token: body.access_token, expiresAt: now + lifetime };
}

/** A source of access tokens for one server: `get` answers the cached one while it is fresh, `refresh` a new one. */
export interface TokenSource {
  get(): Promise<string>;
  refresh(): Promise<string>;
}

export function clientCredentialsTokens(
  env: Env,
  cacheKey: string,
  auth: ClientCredentials,
  clock: () => number = Date.now,
): TokenSource {
  const fetchNew = (): Promise<string> => {
    const running = inFlight.get(cacheKey);
    if (running) return running;
    const request = requestToken(env, auth, clock())
      .then((fresh) => {
        if (!cache.has(cacheKey) && cache.size >= MAX_CACHED_TOKENS) cache.delete(cache.keys().next().value as string);
        cache.set(cacheKey, fresh);
        return fresh.token;
      })
      .finally(() => inFlight.delete(cacheKey));
    inFlight.set(cacheKey, request);
    return request;
  };
  return {
    async get() {
      const cached = cache.get(cacheKey);
      if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > clock()) return cached.token;
      return fetchNew();
    },
    async refresh() {
      // A request already in flight brings a token newer than the refused one.
      if (!inFlight.has(cacheKey)) cache.delete(cacheKey);
      return fetchNew();
    },
  };
}

/** Forgets every cached token (tests: a fresh isolate). */
export function clearTokenCache(): void {
  cache.clear();
  inFlight.clear();
}

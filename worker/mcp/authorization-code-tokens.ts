import { auth as sdkAuth } from '@modelcontextprotocol/sdk/client/auth.js';
import { database } from '../db/client.ts';
import type { Env } from '../env.ts';
import { outboundFetch } from '../security/outbound-fetch.ts';
import type { McpServerRow } from './auth-types.ts';
import { EXPIRY_MARGIN_MS, OAuthTokenError, type TokenSource } from './oauth.ts';
import { type AuthorizationCode, StoredAuthProvider } from './oauth-provider.ts';
import { replaceAuth } from './sealed-auth.ts';

const notConnected = () =>
  new OAuthTokenError('not connected: press Connect on the MCP servers page to sign in at the authorization server');

/**
 * The access token of a server using the authorization code flow: the stored one while it is fresh, else (and after
 * a 401, through the client's one retry) a new one from the refresh token, which is sealed back into the row. The
 * SDK's `auth()` does the refresh (its discovery, then the token endpoint), every request through the outbound guard.
 */
export function authorizationCodeTokens(
  env: Env,
  row: McpServerRow,
  stored: AuthorizationCode,
  clock: () => number = Date.now,
): TokenSource {
  let current = { row, auth: stored };
  /**
   * A token this source fetched serves the rest of its connection (one listing or tool call, under 30 s), even one
   * whose lifetime is inside the margin; and one refresh at a time: servers rotate refresh tokens (OAuth 2.1 §4.3.1),
   * so two refreshes with the same one would have the second refused.
   */
  let fresh: Promise<string> | undefined;
  const exchange = async (): Promise<string> => {
    if (!current.auth.tokens?.refresh_token) throw notConnected();
    const provider = new StoredAuthProvider(structuredClone(current.auth), undefined, clock);
    const result = await sdkAuth(provider, { serverUrl: row.url, fetchFn: outboundFetch(env) });
    const token = provider.auth.tokens?.access_token;
    // REDIRECT: the refresh token was refused, so only a person signing in again can reconnect.
    if (result !== 'AUTHORIZED' || !token) throw notConnected();
    const sealed = await replaceAuth(env, database(env.DB), current.row, provider.auth);
    // Not stored when the auth changed meanwhile (a PATCH): this turn still uses the token it got.
    if (sealed !== false) current = { row: { ...current.row, sealedAuth: sealed }, auth: provider.auth };
    return token;
  };
  const refresh = (): Promise<string> => {
    fresh = exchange();
    fresh.catch(() => {
      fresh = undefined;
    });
    return fresh;
  };
  return {
    async get() {
      if (fresh) return fresh;
      const tokens = current.auth.tokens;
      if (!tokens) throw notConnected();
      if (tokens.expiresAt !== undefined && tokens.expiresAt - EXPIRY_MARGIN_MS <= clock()) return refresh();
      return tokens.access_token;
    },
    refresh,
  };
}

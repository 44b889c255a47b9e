import { database } from '../db/client.ts';
import type { Env } from '../env.ts';
import { outboundFetch } from '../security/outbound-fetch.ts';
import type { McpServerRow } from './auth-types.ts';
import { EXPIRY_MARGIN_MS, OAuthTokenError, type TokenSource } from './oauth.ts';
import { type AuthorizationCode, StoredAuthProvider } from './oauth-provider.ts';
import { type Refreshed, refreshedFrom, singleFlight } from './refresh-flights.ts';
import { mcpAuthSdk } from './sdk.ts';
import { openAuth, replaceAuth } from './sealed-auth.ts';

const notConnected = () =>
  new OAuthTokenError('not connected: press Connect on the MCP servers page to sign in at the authorization server');

interface Snapshot {
  row: McpServerRow;
  auth: AuthorizationCode;
}

/** The row as stored now, or undefined when it is gone (the server was deleted). */
export type ReloadRow = () => Promise<McpServerRow | undefined>;

/** The server's authorization code auth as stored now, when it still is one. */
async function reloadAuth(env: Env, reload: ReloadRow): Promise<Snapshot | undefined> {
  const row = await reload();
  if (!row) return undefined;
  const auth = await openAuth(env, row);
  return auth.kind === 'oauth2_authorization_code' ? { row, auth } : undefined;
}

/**
 * Seals the rotated tokens into the row (compare-and-set). When the row changed meanwhile but still holds the refresh
 * token this exchange spent (a Connect started, say), the new tokens are merged into it: else the next isolate would
 * read a spent refresh token and be refused. When it holds other tokens (a PATCH replaced the auth, a sign-in
 * finished), those win and this turn just uses the token it got. Answers the row the tokens are stored in, or the
 * snapshot's (whose sealed text no longer matches, so no later write can overwrite the newer auth by mistake).
 */
async function storeRotated(
  env: Env,
  reload: ReloadRow,
  from: Snapshot,
  next: AuthorizationCode,
): Promise<McpServerRow> {
  const spentToken = from.auth.tokens?.refresh_token;
  let base: Snapshot = from;
  let auth = next;
  // Two retries: each follows a write that landed between our read and our write, which is rare.
  for (let attempt = 0; attempt < 3; attempt++) {
    const sealed = await replaceAuth(env, database(env.DB), base.row, auth);
    if (sealed !== false) return { ...base.row, sealedAuth: sealed };
    const stored = await reloadAuth(env, reload);
    if (!stored || stored.auth.tokens?.refresh_token !== spentToken) return from.row;
    base = stored;
    auth = { ...stored.auth, ...(next.tokens && { tokens: next.tokens }) };
  }
  return from.row;
}

/** One refresh through the SDK's `auth()` (discovery, then the token endpoint), every request through the guard. */
async function exchange(env: Env, reload: ReloadRow, from: Snapshot, clock: () => number): Promise<Refreshed> {
  const provider = new StoredAuthProvider(structuredClone(from.auth), undefined, clock);
  const { auth: sdkAuth } = await mcpAuthSdk();
  const result = await sdkAuth(provider, { serverUrl: from.row.url, fetchFn: outboundFetch(env) });
  const token = provider.auth.tokens?.access_token;
  // REDIRECT: the refresh token was refused, so only a person signing in again can reconnect.
  if (result !== 'AUTHORIZED' || !token) throw notConnected();
  return { token, auth: provider.auth, row: await storeRotated(env, reload, from, provider.auth) };
}

/**
 * The access token of a server using the authorization code flow: the stored one while it is fresh, else (and after
 * a 401, through the client's one retry) a new one from the refresh token, sealed back into the row.
 *
 * Refresh tokens rotate, so refreshing is careful about who else holds the same one:
 * - in this isolate, every connection holding it shares one exchange (refresh-flights.ts), and one that comes later
 *   takes what that exchange gave instead of presenting the spent token;
 * - another isolate may have spent it already: when the server refuses it, the row is read again, and if it holds
 *   newer tokens (that isolate stored them) those are used — their access token, or one refresh with theirs.
 */
export function authorizationCodeTokens(
  env: Env,
  row: McpServerRow,
  stored: AuthorizationCode,
  reload: ReloadRow,
  clock: () => number = Date.now,
): TokenSource {
  let current: Snapshot = { row, auth: stored };
  /** The token this source handed out last: after a 401 it must not be handed out again. */
  let used: string | undefined;
  /** A token this source got serves the rest of its connection (under 30 s), even one inside the margin. */
  let fresh: string | undefined;

  const unexpired = (auth: AuthorizationCode): string | undefined => {
    const tokens = auth.tokens;
    if (!tokens || tokens.access_token === used) return undefined;
    return tokens.expiresAt === undefined || tokens.expiresAt > clock() ? tokens.access_token : undefined;
  };
  /** Follows the refreshes this isolate already did from the refresh token held; true when it moved. */
  const catchUp = (): boolean => {
    let moved = false;
    // Bounded: each hop is one refresh of this server in this isolate's memory.
    for (let hop = 0; hop < 10; hop++) {
      const refreshToken = current.auth.tokens?.refresh_token;
      const next = refreshToken === undefined ? undefined : refreshedFrom(current.row, refreshToken);
      if (!next) break;
      current = { row: next.row, auth: next.auth };
      moved = true;
    }
    return moved;
  };
  const flight = async (from: Snapshot): Promise<string> => {
    const refreshToken = from.auth.tokens?.refresh_token;
    if (!refreshToken) throw notConnected();
    const result = await singleFlight(from.row, refreshToken, () => exchange(env, reload, from, clock));
    current = { row: result.row, auth: result.auth };
    return result.token;
  };
  /** A token newer than the one held: one this isolate already got, else an exchange, else another isolate's. */
  const obtain = async (): Promise<string> => {
    const adopted = catchUp() ? unexpired(current.auth) : undefined;
    if (adopted !== undefined) return adopted;
    const spent = current.auth.tokens?.refresh_token;
    try {
      return await flight(current);
    } catch (error) {
      if (!(error instanceof OAuthTokenError)) throw error;
      // Refused: another isolate may have spent this refresh token and stored what it got.
      const now = await reloadAuth(env, reload);
      if (!now?.auth.tokens?.refresh_token || now.auth.tokens.refresh_token === spent) throw error;
      current = now;
      return unexpired(now.auth) ?? (await flight(now));
    }
  };
  const refresh = async (): Promise<string> => {
    fresh = await obtain();
    return fresh;
  };
  return {
    async get() {
      if (fresh) return fresh;
      catchUp();
      const tokens = current.auth.tokens;
      if (!tokens) throw notConnected();
      if (tokens.expiresAt !== undefined && tokens.expiresAt - EXPIRY_MARGIN_MS <= clock()) return refresh();
      used = tokens.access_token;
      return used;
    },
    async refresh() {
      if (fresh) used = fresh;
      fresh = undefined;
      return refresh();
    },
  };
}

import type { Database } from '../db/client.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { constantTimeEqual } from '../security/constant-time.ts';
import { randomBytes, toBase64Url } from '../security/encoding.ts';
import { outboundFetch } from '../security/outbound-fetch.ts';
import { secretBox } from '../security/secrets.ts';
import { type AuthorizationCode, StoredAuthProvider } from './oauth-provider.ts';
import { mcpAuthSdk } from './sdk.ts';
import { openAuth, replaceAuth } from './sealed-auth.ts';
import { getServer, type McpServerRow } from './store.ts';

/**
 * How long a person has to sign in at the authorization server: 10 minutes, the maximum lifetime RFC 6749 §4.1.2
 * recommends for the authorization code itself; a sign-in page left open longer starts again.
 */
export const STATE_LIFETIME_MS = 10 * 60_000;
/** The additional data of a sealed state: it opens only as a state, never as any stored secret. */
const STATE_CONTEXT = 'mcp-oauth-state';
export const CALLBACK_PATH = '/api/v1/mcp-servers/oauth/callback';

/** What a state carries, sealed (AES-GCM): it cannot be forged or altered, only replayed — the nonce stops that. */
interface State {
  teamId: string;
  serverId: string;
  nonce: string;
  expiresAt: number;
}

const badState = (message: string) => new ApiError(400, 'invalid_state', message, [{ field: 'query.state', message }]);

async function authorizationCodeOf(env: Env, row: McpServerRow): Promise<AuthorizationCode> {
  const auth = await openAuth(env, row);
  if (auth.kind !== 'oauth2_authorization_code')
    throw new ApiError(400, 'invalid_request', 'Invalid auth.kind', [
      { field: 'auth.kind', message: 'this server does not use the OAuth authorization code flow' },
    ]);
  return auth;
}

/** Why the authorization server refused, without echoing what it answered beyond the error's name. */
function authFailure(error: unknown): ApiError {
  const message = error instanceof Error ? error.message.slice(0, 300) : 'the authorization server did not answer';
  return new ApiError(400, 'oauth_failed', `OAuth failed: ${message}`);
}

/**
 * Starts the flow: discovery (protected-resource metadata, then the authorization server's), dynamic registration
 * when no client is configured, PKCE; stores the nonce and verifier sealed and answers where to send the person.
 */
export async function startAuthorization(
  env: Env,
  db: Database,
  row: McpServerRow,
  origin: string,
  now = Date.now(),
): Promise<string> {
  const stored = await authorizationCodeOf(env, row);
  const state: State = {
    teamId: row.teamId,
    serverId: row.id,
    nonce: toBase64Url(randomBytes(32)),
    expiresAt: now + STATE_LIFETIME_MS,
  };
  const sealedState = await (await secretBox(env)).sealJson({ ...state }, STATE_CONTEXT);
  // Tokens are hidden from the SDK so it asks for a new sign-in instead of refreshing; they stay stored until then.
  const working: AuthorizationCode = { ...structuredClone(stored), redirectUrl: `${origin}${CALLBACK_PATH}` };
  delete working.tokens;
  delete working.pending;
  const provider = new StoredAuthProvider(working, sealedState);
  const { auth: sdkAuth } = await mcpAuthSdk();
  let result: string;
  try {
    result = await sdkAuth(provider, {
      serverUrl: row.url,
      fetchFn: outboundFetch(env),
      ...(stored.scopes && stored.scopes.length > 0 && { scope: stored.scopes.join(' ') }),
    });
  } catch (error) {
    throw authFailure(error);
  }
  if (result !== 'REDIRECT' || !provider.authorizationUrl || !provider.verifier)
    throw new ApiError(400, 'oauth_failed', 'OAuth failed: the authorization server did not start a sign-in');
  const next: AuthorizationCode = {
    ...provider.auth,
    ...(stored.tokens && { tokens: stored.tokens }),
    pending: { nonce: state.nonce, verifier: provider.verifier, expiresAt: state.expiresAt },
  };
  if ((await replaceAuth(env, db, row, next)) === false)
    throw new ApiError(409, 'conflict', 'The server changed meanwhile; try again');
  return provider.authorizationUrl.toString();
}

async function openState(env: Env, sealed: string, now: number): Promise<State> {
  let state: State;
  try {
    state = (await (await secretBox(env)).openJson(sealed, STATE_CONTEXT)) as unknown as State;
  } catch {
    throw badState('not a state this server issued');
  }
  if (state.expiresAt <= now) throw badState('the sign-in took longer than 10 minutes; press Connect again');
  return state;
}

/**
 * The callback: the state names the team and server; its nonce must be the pending one (compared in constant time)
 * and is consumed before the code is exchanged, so a state works once. Answers the server id.
 */
export async function completeAuthorization(
  env: Env,
  db: Database,
  code: string,
  sealedState: string,
  now = Date.now(),
): Promise<string> {
  const state = await openState(env, sealedState, now);
  const row = await getServer(db, state.teamId, state.serverId);
  if (!row) throw badState('the MCP server of this sign-in was deleted');
  const stored = await authorizationCodeOf(env, row);
  const pending = stored.pending;
  if (!pending || pending.expiresAt <= now || !constantTimeEqual(pending.nonce, state.nonce))
    throw badState('this sign-in was already used or replaced by a newer one; press Connect again');
  const working: AuthorizationCode = structuredClone(stored);
  delete working.pending;
  const claimed = await replaceAuth(env, db, row, working);
  if (claimed === false) throw badState('this sign-in was already used; press Connect again');
  const provider = new StoredAuthProvider({ ...structuredClone(working), pending }, undefined);
  const { auth: sdkAuth } = await mcpAuthSdk();
  try {
    await sdkAuth(provider, { serverUrl: row.url, authorizationCode: code, fetchFn: outboundFetch(env) });
  } catch (error) {
    throw authFailure(error);
  }
  delete provider.auth.pending;
  if ((await replaceAuth(env, db, { ...row, sealedAuth: claimed }, provider.auth)) === false)
    throw new ApiError(409, 'conflict', 'The server changed meanwhile; press Connect again');
  return row.id;
}

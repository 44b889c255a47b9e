import type { Env } from '../env.ts';
import { outboundFetch } from '../security/outbound-fetch.ts';
import type { ActionAuth, AuthOwner } from './auth-types.ts';
import { readCapped } from './read-body.ts';

type ClientCredentials = Extract<ActionAuth, { kind: 'oauth2_client_credentials' }>;

/** A token endpoint that has not answered in 10 s is down; the call still has its own budget (caller.ts). */
const TOKEN_TIMEOUT_MS = 10_000;
/** A token response is a small JSON object; 64 KB is far more than any real one. */
const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;
/**
 * A token is dropped this long before it expires (a quarter of its life when that is shorter), so a call never
 * starts with one about to lapse.
 */
export const EXPIRY_MARGIN_MS = 30_000;
/** RFC 6749 §5.1 makes `expires_in` optional; without it a token is kept this long (re-fetched on a 401 anyway). */
const DEFAULT_EXPIRES_IN_S = 300;
/** Tokens kept per isolate: one per (team, action); the oldest go first past this. */
const MAX_CACHED_TOKENS = 500;

interface CachedToken {
  token: Promise<string>;
  expiresAt: number;
}

/**
 * OAuth 2 client-credentials tokens, cached in the isolate's memory by (team, action, last change): a turn that
 * calls an action five times fetches one token, and no turn reads or writes D1 for it. A fetch in flight is shared,
 * so concurrent calls ask the endpoint once. Isolates do not share it: each fetches its own token when it first needs
 * one, which a token endpoint allows (a client may hold several valid tokens).
 */
const cache = new Map<string, CachedToken>();

const keyOf = (owner: AuthOwner) => `${owner.teamId}:${owner.actionId}:${owner.updatedAt}`;

export function forgetToken(owner: AuthOwner): void {
  cache.delete(keyOf(owner));
}

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

export async function clientCredentialsToken(env: Env, owner: AuthOwner, auth: ClientCredentials): Promise<string> {
  const key = keyOf(owner);
  const cached = cache.get(key);
  if (cached && cached.expiresAt > Date.now()) return cached.token;
  const entry: CachedToken = { token: Promise.resolve(''), expiresAt: Number.POSITIVE_INFINITY };
  entry.token = fetchToken(env, auth).then(
    ({ token, expiresInS }) => {
      const lifeMs = expiresInS * 1000;
      entry.expiresAt = Date.now() + lifeMs - Math.min(EXPIRY_MARGIN_MS, lifeMs / 4);
      return token;
    },
    (error: unknown) => {
      cache.delete(key);
      throw error;
    },
  );
  cache.set(key, entry);
  while (cache.size > MAX_CACHED_TOKENS) cache.delete(cache.keys().next().value as string);
  return entry.token;
}

/**
 * RFC 6749 §4.4: a POST of `grant_type=client_credentials` with the client authenticated by HTTP Basic (§2.3.1, the
 * method every server must support). Errors name the endpoint's status and OAuth error code, never a secret.
 */
async function fetchToken(env: Env, auth: ClientCredentials): Promise<{ token: string; expiresInS: number }> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (auth.scopes?.length) form.set('scope', auth.scopes.join(' '));
  const credentials = `${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.clientSecret)}`;
  let binary = '';
  for (const byte of new TextEncoder().encode(credentials)) binary += String.fromCharCode(byte);
  const response = await outboundFetch(env)(auth.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${btoa(binary)}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: form.toString(),
    signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
  });
  const { bytes } = await readCapped(response.body, MAX_TOKEN_RESPONSE_BYTES);
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    // Reported below as a missing access_token.
  }
  if (!response.ok) {
    const code = typeof body.error === 'string' ? `: ${body.error.slice(0, 100)}` : '';
    throw new TokenError(`the OAuth token endpoint answered ${response.status}${code}`);
  }
  if (typeof body.access_token !== 'string' || body.access_token === '')
    throw new TokenError('the OAuth token endpoint answered without an access_token');
  const expiresIn = Number(body.expires_in);
  return {
    token: body.access_token,
    expiresInS: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : DEFAULT_EXPIRES_IN_S,
  };
}

import type { CustomActionAuthInfo } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { secretBox, secretContext } from '../security/secrets.ts';
import type { ActionAuth, AuthOwner } from './auth-types.ts';
import { clientCredentialsToken, forgetToken } from './oauth.ts';
import type { BuiltRequest } from './spec/types.ts';

export type { ActionAuth, AuthOwner } from './auth-types.ts';

/** RFC 7617: base64 of `user:password` in UTF-8. */
function basicCredentials(username: string, password: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(`${username}:${password}`)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const context = (teamId: string, actionId: string) => secretContext(teamId, 'custom_action', actionId);

/** The non-secret parts, for the API and the dashboard. */
export function authInfoOf(auth: ActionAuth): CustomActionAuthInfo {
  switch (auth.kind) {
    case 'none':
    case 'bearer':
      return { kind: auth.kind };
    case 'api_key':
      return { kind: auth.kind, in: auth.in, name: auth.name };
    case 'basic':
      return { kind: auth.kind, username: auth.username };
    case 'oauth2_client_credentials':
      return {
        kind: auth.kind,
        tokenUrl: auth.tokenUrl,
        clientId: auth.clientId,
        ...(auth.scopes && { scopes: auth.scopes }),
      };
  }
}

/** AES-GCM under ENCRYPTION_KEY, bound to the team and the action: a sealed value copied elsewhere fails to open. */
export async function sealAuth(env: Env, teamId: string, actionId: string, auth: ActionAuth): Promise<string | null> {
  if (auth.kind === 'none') return null;
  return (await secretBox(env)).sealJson(auth as unknown as Record<string, unknown>, context(teamId, actionId));
}

export async function openAuth(env: Env, teamId: string, actionId: string, sealed: string | null): Promise<ActionAuth> {
  if (!sealed) return { kind: 'none' };
  return (await (await secretBox(env)).openJson(sealed, context(teamId, actionId))) as unknown as ActionAuth;
}

/** Every secret value of an auth: replaced in anything the model or the trace would see. */
export function secretValues(auth: ActionAuth): string[] {
  switch (auth.kind) {
    case 'none':
      return [];
    case 'api_key':
      return [auth.value];
    case 'bearer':
      return [auth.token];
    case 'basic':
      return [auth.password, basicCredentials(auth.username, auth.password)];
    case 'oauth2_client_credentials':
      return [auth.clientSecret];
  }
}

/**
 * The request with the action's credentials added. The model's own header and query arguments never override
 * them (the auth is applied last). `fresh` skips a cached OAuth token (the retry after a 401).
 */
export async function withAuth(
  env: Env,
  owner: AuthOwner,
  auth: ActionAuth,
  request: BuiltRequest,
  fresh = false,
): Promise<{ request: BuiltRequest; secrets: string[] }> {
  const headers = { ...request.headers };
  let url = request.url;
  const secrets = secretValues(auth);
  switch (auth.kind) {
    case 'none':
      break;
    case 'api_key':
      if (auth.in === 'header') headers[auth.name.toLowerCase()] = auth.value;
      else {
        const next = new URL(url);
        next.searchParams.set(auth.name, auth.value);
        url = next.toString();
      }
      break;
    case 'bearer':
      headers.authorization = `Bearer ${auth.token}`;
      break;
    case 'basic':
      headers.authorization = `Basic ${basicCredentials(auth.username, auth.password)}`;
      break;
    case 'oauth2_client_credentials': {
      if (fresh) forgetToken(owner);
      const token = await clientCredentialsToken(env, owner, auth);
      secrets.push(token);
      headers.authorization = `Bearer ${token}`;
      break;
    }
  }
  return { request: { ...request, url, headers }, secrets };
}

/** Replaces every secret in `text` (a response that echoes a header, an error naming a URL with `?api_key=`). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}

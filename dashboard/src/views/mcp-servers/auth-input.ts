/**
 * The MCP server form's auth fields → the API's `auth` (write-only secrets). Editing a server, secrets left empty
 * keep what is stored: no `auth` is sent unless the kind changes or a secret is typed again.
 */
import type { McpServerAuthInput, McpServerInfo } from '../../../../worker/mcp/routes.ts';

export type AuthKind = McpServerAuthInput['kind'];

export const AUTH_KINDS: readonly { kind: AuthKind; label: string }[] = [
  { kind: 'none', label: 'None' },
  { kind: 'bearer', label: 'Bearer token' },
  { kind: 'headers', label: 'Custom headers' },
  { kind: 'oauth2_client_credentials', label: 'OAuth 2 client credentials' },
  { kind: 'oauth2_authorization_code', label: 'OAuth sign-in (authorization code)' },
];

export interface AuthFields {
  kind: AuthKind;
  token: string;
  /** One `Name: value` per line. */
  headers: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes. */
  scopes: string;
}

/** `Name: value` lines → headers; a line without a colon is an error naming it. */
export function parseHeaders(text: string): { headers: Record<string, string> } | { error: string } {
  const headers: Record<string, string> = {};
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { error: `Line ${index + 1} needs the form "Name: value"` };
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { headers };
}

/**
 * The `auth` to send: undefined keeps the stored one (editing, same kind, no secret typed), an object replaces it,
 * `{ error }` is a problem to show by the field.
 */
export function authToSend(
  fields: AuthFields,
  stored: McpServerInfo['auth'] | undefined,
): McpServerAuthInput | undefined | { error: string } {
  const sameKind = stored?.kind === fields.kind;
  switch (fields.kind) {
    case 'none':
      return sameKind ? undefined : { kind: 'none' };
    case 'bearer':
      if (fields.token) return { kind: 'bearer', token: fields.token };
      return sameKind ? undefined : { error: 'Enter the token' };
    case 'headers': {
      if (!fields.headers.trim()) return sameKind ? undefined : { error: 'Enter at least one header' };
      const parsed = parseHeaders(fields.headers);
      return 'error' in parsed ? parsed : { kind: 'headers', headers: parsed.headers };
    }
    case 'oauth2_client_credentials': {
      const scopes = fields.scopes.split(/\s+/).filter(Boolean);
      const changed =
        !sameKind ||
        fields.tokenUrl !== (stored?.tokenUrl ?? '') ||
        fields.clientId !== (stored?.clientId ?? '') ||
        scopes.join(' ') !== (stored?.scopes ?? []).join(' ');
      if (!fields.clientSecret)
        return changed ? { error: 'Enter the client secret (again, to change the OAuth settings)' } : undefined;
      return {
        kind: 'oauth2_client_credentials',
        tokenUrl: fields.tokenUrl,
        clientId: fields.clientId,
        clientSecret: fields.clientSecret,
        ...(scopes.length > 0 && { scopes }),
      };
    }
    case 'oauth2_authorization_code': {
      // Any change replaces the auth, which drops the stored sign-in: press Connect again afterwards.
      const scopes = fields.scopes.split(/\s+/).filter(Boolean);
      const changed =
        !sameKind ||
        fields.clientSecret !== '' ||
        fields.clientId !== (stored?.clientId ?? '') ||
        scopes.join(' ') !== (stored?.scopes ?? []).join(' ');
      if (!changed) return undefined;
      if (fields.clientSecret && !fields.clientId) return { error: 'A client secret needs its client ID' };
      return {
        kind: 'oauth2_authorization_code',
        ...(fields.clientId && { clientId: fields.clientId }),
        ...(fields.clientSecret && { clientSecret: fields.clientSecret }),
        ...(scopes.length > 0 && { scopes }),
      };
    }
  }
}

export const authLabel = (kind: AuthKind) => AUTH_KINDS.find((k) => k.kind === kind)?.label ?? kind;

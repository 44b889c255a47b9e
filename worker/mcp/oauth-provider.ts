import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';

/**
 * The OAuth 2.1 authorization code flow of the MCP authorization spec, as stored (sealed whole, like every auth):
 * what the admin configured (scopes, optionally a pre-registered client) and what the flow saved (the dynamically
 * registered client, the tokens, the pending authorization's nonce and PKCE verifier).
 */
export interface AuthorizationCode {
  kind: 'oauth2_authorization_code';
  scopes?: string[];
  clientId?: string;
  clientSecret?: string;
  /** Our callback URL, fixed when the flow starts: registration and the token exchange must name the same one. */
  redirectUrl?: string;
  /** The client from dynamic registration (RFC 7591), when no clientId was configured. */
  client?: OAuthClientInformationMixed;
  tokens?: OAuthTokens & { expiresAt?: number };
  /** The authorization in progress: the state's nonce (single use) and the PKCE verifier, until `expiresAt`. */
  pending?: { nonce: string; verifier: string; expiresAt: number };
}

/**
 * The SDK's OAuthClientProvider over one server's stored auth. It only changes `auth` in memory: the caller seals
 * and stores it after `auth()` returns (one write per flow step).
 */
export class StoredAuthProvider implements OAuthClientProvider {
  authorizationUrl: URL | undefined;
  verifier: string | undefined;

  constructor(
    readonly auth: AuthorizationCode,
    private readonly stateValue: string | undefined,
    private readonly clock: () => number = Date.now,
  ) {}

  get redirectUrl(): string | undefined {
    return this.auth.redirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Parley',
      redirect_uris: this.auth.redirectUrl ? [this.auth.redirectUrl] : [],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      ...(this.auth.scopes && this.auth.scopes.length > 0 && { scope: this.auth.scopes.join(' ') }),
    };
  }

  /** Only a start names a state; elsewhere (a refresh the server refused) the URL the SDK builds is never used. */
  state(): string {
    return this.stateValue ?? '';
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    if (this.auth.clientId)
      return {
        client_id: this.auth.clientId,
        ...(this.auth.clientSecret !== undefined && { client_secret: this.auth.clientSecret }),
      };
    return this.auth.client;
  }

  saveClientInformation(information: OAuthClientInformationMixed): void {
    // A configured client stays as the admin entered it; only a registered one is saved.
    if (!this.auth.clientId) this.auth.client = information;
  }

  tokens(): OAuthTokens | undefined {
    return this.auth.tokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    const expiresAt = tokens.expires_in === undefined ? undefined : this.clock() + tokens.expires_in * 1000;
    // A refresh answer may omit the refresh token (RFC 6749 §6): the old one stays usable then.
    const refresh = tokens.refresh_token ?? this.auth.tokens?.refresh_token;
    this.auth.tokens = {
      ...tokens,
      ...(refresh !== undefined && { refresh_token: refresh }),
      ...(expiresAt !== undefined && { expiresAt }),
    };
  }

  redirectToAuthorization(authorizationUrl: URL): void {
    this.authorizationUrl = authorizationUrl;
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.verifier = codeVerifier;
  }

  codeVerifier(): string {
    const verifier = this.auth.pending?.verifier;
    if (!verifier) throw new Error('no authorization in progress');
    return verifier;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'all' || scope === 'client') delete this.auth.client;
    if (scope === 'all' || scope === 'tokens') delete this.auth.tokens;
    if (scope === 'all' || scope === 'verifier') delete this.auth.pending;
  }
}

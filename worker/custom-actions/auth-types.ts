/** An action's auth as the admin gives it; sealed whole at rest, never returned (the API shows CustomActionAuthInfo). */
export type ActionAuth =
  | { kind: 'none' }
  | { kind: 'api_key'; in: 'header' | 'query'; name: string; value: string }
  | { kind: 'bearer'; token: string }
  | { kind: 'basic'; username: string; password: string }
  | {
      kind: 'oauth2_client_credentials';
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      scopes?: string[];
    };

/** What identifies one action's auth: its team, id, and when it last changed (a changed auth needs a new token). */
export interface AuthOwner {
  teamId: string;
  actionId: string;
  updatedAt: number;
}

import { useState } from 'preact/hooks';
import { AUTH_LABELS, type Auth, type AuthKind, type AuthView } from './api';

/** What the admin typed; secret fields start empty and are never filled from the server (it never sends them). */
export interface AuthDraft {
  kind: AuthKind;
  in: 'header' | 'query';
  name: string;
  value: string;
  token: string;
  username: string;
  password: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
}

export function draftFrom(view: AuthView | null): AuthDraft {
  return {
    kind: view?.kind ?? 'none',
    in: view?.in ?? 'header',
    name: view?.name ?? 'X-API-Key',
    value: '',
    token: '',
    username: view?.username ?? '',
    password: '',
    tokenUrl: view?.tokenUrl ?? '',
    clientId: view?.clientId ?? '',
    clientSecret: '',
    scopes: (view?.scopes ?? []).join(' '),
  };
}

/** The API's auth input from a draft (the server checks every field and names a bad one). */
export function authFromDraft(draft: AuthDraft): Auth {
  switch (draft.kind) {
    case 'none':
      return { kind: 'none' };
    case 'api_key':
      return { kind: 'api_key', in: draft.in, name: draft.name.trim(), value: draft.value };
    case 'bearer':
      return { kind: 'bearer', token: draft.token };
    case 'basic':
      return { kind: 'basic', username: draft.username.trim(), password: draft.password };
    case 'oauth2_client_credentials': {
      const scopes = draft.scopes.split(/[\s,]+/).filter((s) => s !== '');
      return {
        kind: 'oauth2_client_credentials',
        tokenUrl: draft.tokenUrl.trim(),
        clientId: draft.clientId.trim(),
        clientSecret: draft.clientSecret,
        ...(scopes.length > 0 ? { scopes } : {}),
      };
    }
  }
}

/** One-line description of saved auth, without secrets: "API key in header X-API-Key". */
export function describeAuth(view: AuthView): string {
  switch (view.kind) {
    case 'none':
      return 'No auth';
    case 'api_key':
      return `API key in ${view.in ?? 'header'} ${view.name ?? ''}`.trim();
    case 'basic':
      return `Basic, user ${view.username ?? ''}`.trim();
    case 'oauth2_client_credentials':
      return `OAuth 2 client ${view.clientId ?? ''} at ${view.tokenUrl ?? ''}`;
    default:
      return AUTH_LABELS[view.kind];
  }
}

function Secret({ label, value, onInput }: { label: string; value: string; onInput: (v: string) => void }) {
  return (
    <label>
      {label}
      <input
        type="password"
        autoComplete="off"
        required
        maxLength={4000}
        value={value}
        onInput={(e) => onInput((e.target as HTMLInputElement).value)}
      />
    </label>
  );
}

/**
 * The auth form, per kind. Editing saved auth first shows it as "configured" (the secret is write-only: the server
 * never returns it); "Replace" opens the form, and only then is auth sent with the update.
 */
export function AuthFields({
  saved,
  draft,
  onChange,
  replacing,
  onReplace,
}: {
  saved: AuthView | null;
  draft: AuthDraft;
  onChange: (draft: AuthDraft) => void;
  replacing: boolean;
  onReplace: (replacing: boolean) => void;
}) {
  const [id] = useState(() => `auth-${Math.random().toString(36).slice(2, 8)}`);
  const set = (patch: Partial<AuthDraft>) => onChange({ ...draft, ...patch });
  const text = (label: string, key: 'name' | 'username' | 'tokenUrl' | 'clientId' | 'scopes', hint?: string) => (
    <label>
      {label}
      <input
        value={draft[key]}
        required={key !== 'scopes'}
        maxLength={2000}
        onInput={(e) => set({ [key]: (e.target as HTMLInputElement).value })}
      />
      {hint && <span class="field-hint">{hint}</span>}
    </label>
  );

  if (saved && !replacing) {
    return (
      <fieldset class="auth-fields">
        <legend>Authentication</legend>
        <div class="row">
          <span class="grow">
            {describeAuth(saved)} {saved.kind !== 'none' && <span class="badge live">configured</span>}
          </span>
          <button type="button" class="button subtle" onClick={() => onReplace(true)}>
            Replace
          </button>
        </div>
      </fieldset>
    );
  }
  return (
    <fieldset class="auth-fields">
      <legend>Authentication</legend>
      <label for={id}>Kind</label>
      <select
        id={id}
        value={draft.kind}
        onChange={(e) => set({ kind: (e.target as HTMLSelectElement).value as AuthKind })}
      >
        {(Object.keys(AUTH_LABELS) as AuthKind[]).map((kind) => (
          <option key={kind} value={kind}>
            {AUTH_LABELS[kind]}
          </option>
        ))}
      </select>
      {draft.kind === 'api_key' && (
        <div class="grid-3">
          <label>
            Sent in
            <select value={draft.in} onChange={(e) => set({ in: (e.target as HTMLSelectElement).value as 'header' })}>
              <option value="header">a header</option>
              <option value="query">the query string</option>
            </select>
          </label>
          {text(draft.in === 'header' ? 'Header name' : 'Parameter name', 'name')}
          <Secret label="API key" value={draft.value} onInput={(value) => set({ value })} />
        </div>
      )}
      {draft.kind === 'bearer' && <Secret label="Token" value={draft.token} onInput={(token) => set({ token })} />}
      {draft.kind === 'basic' && (
        <div class="grid-2">
          {text('Username', 'username')}
          <Secret label="Password" value={draft.password} onInput={(password) => set({ password })} />
        </div>
      )}
      {draft.kind === 'oauth2_client_credentials' && (
        <div class="grid-2">
          {text('Token URL', 'tokenUrl')}
          {text('Client ID', 'clientId')}
          <Secret label="Client secret" value={draft.clientSecret} onInput={(clientSecret) => set({ clientSecret })} />
          {text('Scopes', 'scopes', 'Separated by spaces; optional')}
        </div>
      )}
      <p class="field-hint">Secrets are sealed when saved and never shown again.</p>
      {saved && (
        <button type="button" class="button subtle" onClick={() => onReplace(false)}>
          Keep the saved authentication
        </button>
      )}
    </fieldset>
  );
}

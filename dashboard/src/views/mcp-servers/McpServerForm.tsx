/**
 * Adds an MCP server or edits one: name, URL, transport and auth. Secret fields are write-only: editing, a secret
 * left empty keeps the stored one (./auth-input.ts).
 */
import { useState } from 'preact/hooks';
import type { McpServerInfo } from '../../../../worker/mcp/routes.ts';
import { ErrorBanner } from '../../components/feedback';
import { ApiError, patch, post } from '../../lib/http';
import { useAction } from '../../lib/use-action';
import { AUTH_KINDS, type AuthFields, type AuthKind, authToSend } from './auth-input';

function AuthInputs({ kind, server }: { kind: AuthKind; server?: McpServerInfo }) {
  const stored = server?.auth.kind === kind ? server.auth : undefined;
  const keep = stored ? 'Leave empty to keep the stored value' : undefined;
  switch (kind) {
    case 'none':
      return null;
    case 'bearer':
      return (
        <label>
          Token
          <input
            name="token"
            type="password"
            autoComplete="off"
            maxLength={4000}
            placeholder={keep}
            required={!stored}
          />
        </label>
      );
    case 'headers':
      return (
        <label>
          Headers, one <code>Name: value</code> per line
          <textarea
            name="headers"
            rows={3}
            class="mono"
            maxLength={20_000}
            required={!stored}
            placeholder={stored ? `Stored: ${stored.headerNames?.join(', ')}. ${keep}` : 'x-api-key: …'}
          />
        </label>
      );
    case 'oauth2_client_credentials':
      return (
        <div class="grid-2">
          <label>
            Token URL
            <input name="tokenUrl" type="url" required maxLength={2000} value={stored?.tokenUrl ?? ''} />
          </label>
          <label>
            Client ID
            <input name="clientId" required maxLength={500} value={stored?.clientId ?? ''} autoComplete="off" />
          </label>
          <label>
            Client secret
            <input
              name="clientSecret"
              type="password"
              autoComplete="off"
              maxLength={4000}
              required={!stored}
              placeholder={keep}
            />
          </label>
          <label>
            Scopes (space-separated, optional)
            <input name="scopes" maxLength={4000} value={stored?.scopes?.join(' ') ?? ''} />
          </label>
        </div>
      );
    case 'oauth2_authorization_code':
      return (
        <div class="grid-2">
          <label>
            Client ID (optional: registered automatically when empty)
            <input name="clientId" maxLength={500} value={stored?.clientId ?? ''} autoComplete="off" />
          </label>
          <label>
            Client secret (optional)
            <input
              name="clientSecret"
              type="password"
              autoComplete="off"
              maxLength={4000}
              placeholder={stored?.clientId ? keep : ''}
            />
          </label>
          <label>
            Scopes (space-separated, optional)
            <input name="scopes" maxLength={4000} value={stored?.scopes?.join(' ') ?? ''} />
          </label>
          <p class="muted small">After saving, press Connect to sign in at the server's authorization server.</p>
        </div>
      );
  }
}

export function McpServerForm({
  server,
  onSaved,
  onCancel,
}: {
  server?: McpServerInfo;
  onSaved: () => void;
  onCancel?: () => void;
}) {
  const { error, busy, run } = useAction();
  const [kind, setKind] = useState<AuthKind>(server?.auth.kind ?? 'none');

  function submit(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '');
    void run(async () => {
      const fields: AuthFields = {
        kind,
        token: text('token'),
        headers: text('headers'),
        tokenUrl: text('tokenUrl'),
        clientId: text('clientId'),
        clientSecret: text('clientSecret'),
        scopes: text('scopes'),
      };
      const auth = authToSend(fields, server?.auth);
      if (auth && 'error' in auth) throw new ApiError(400, 'invalid_auth', auth.error);
      const body = {
        name: text('name'),
        url: text('url'),
        transport: text('transport'),
        ...(auth && { auth }),
      };
      if (server) await patch(`/api/v1/mcp-servers/${server.id}`, body);
      else {
        await post('/api/v1/mcp-servers', body);
        form.reset();
        setKind('none');
      }
      onSaved();
    });
  }

  return (
    <form
      class={server ? 'form nested' : 'card form'}
      onSubmit={submit}
      aria-label={server ? `Edit ${server.name}` : 'Add an MCP server'}
    >
      {!server && <h2>Add an MCP server</h2>}
      <div class="grid-2">
        <label>
          Name
          <input name="name" required maxLength={100} value={server?.name} placeholder="Issue tracker" />
        </label>
        <label>
          URL
          <input
            name="url"
            type="url"
            required
            maxLength={2000}
            value={server?.url}
            placeholder="https://mcp.example.com/mcp"
          />
        </label>
        <label>
          Transport
          <select name="transport" value={server?.transport ?? 'streamable-http'}>
            <option value="streamable-http">Streamable HTTP</option>
            <option value="sse">HTTP + SSE (older servers)</option>
          </select>
        </label>
        <label>
          Authentication
          <select value={kind} onChange={(event) => setKind((event.target as HTMLSelectElement).value as AuthKind)}>
            {AUTH_KINDS.map((option) => (
              <option key={option.kind} value={option.kind}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <AuthInputs kind={kind} server={server} />
      {error && <ErrorBanner title="Couldn't save the MCP server" error={error} />}
      <div class="row">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Saving…' : server ? 'Save changes' : 'Add server'}
        </button>
        {onCancel && (
          <button type="button" class="button subtle" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

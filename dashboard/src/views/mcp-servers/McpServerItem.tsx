/** One MCP server: what it is (never its secrets), Test connection & refresh tools, its tool picker, edit, delete. */
import { useState } from 'preact/hooks';
import type { McpOAuthStart } from '../../../../worker/mcp/oauth-routes.ts';
import type { McpServerInfo, McpServerRefresh } from '../../../../worker/mcp/routes.ts';
import { ErrorBanner, Notice } from '../../components/feedback';
import { formatRelative } from '../../lib/format';
import { ApiError, del, post } from '../../lib/http';
import { can } from '../../lib/session';
import { useAction } from '../../lib/use-action';
import { authLabel } from './auth-input';
import { McpServerForm } from './McpServerForm';
import { ToolPicker } from './ToolPicker';

export function McpServerItem({ server, onChanged }: { server: McpServerInfo; onChanged: () => void }) {
  const [editing, setEditing] = useState(false);
  const [showTools, setShowTools] = useState(false);
  const refresh = useAction();
  const removal = useAction();
  const connect = useAction();
  const signIn = server.auth.kind === 'oauth2_authorization_code';

  function startSignIn() {
    // Opened before the request so the browser does not treat it as an unrequested pop-up.
    const opened = window.open('about:blank', '_blank');
    void connect
      .run(async () => {
        const { authorizationUrl } = await post<McpOAuthStart>(`/api/v1/mcp-servers/${server.id}/oauth/start`);
        if (opened) opened.location.href = authorizationUrl;
        else window.location.href = authorizationUrl;
      })
      .then((ok) => {
        if (!ok) opened?.close();
      });
  }
  const toolsId = `tools-${server.id}`;

  async function testConnection() {
    let message = '';
    const ok = await refresh.run(async () => {
      const outcome = await post<McpServerRefresh>(`/api/v1/mcp-servers/${server.id}/tools/refresh`);
      // A server that did not answer is a failure to show as an error (role=alert), not as a notice.
      if (!outcome.ok) throw new ApiError(200, 'mcp_error', outcome.message || 'The server did not answer');
      message = outcome.message;
      setShowTools(true);
      onChanged();
    });
    if (ok) refresh.setNotice(message);
  }

  function remove() {
    if (!confirm(`Delete ${server.name}? Chatbots using its tools fail their checks until changed.`)) return;
    void removal.run(async () => {
      await del(`/api/v1/mcp-servers/${server.id}`);
      onChanged();
    });
  }

  const listed = server.tools?.length;
  const error = refresh.error ?? connect.error ?? removal.error;
  return (
    <li class="item credential" aria-label={server.name}>
      <div class="grow">
        <strong>{server.name}</strong>
        <div class="muted small">
          <code>{server.url}</code> · {server.transport === 'sse' ? 'HTTP + SSE' : 'Streamable HTTP'} · auth:{' '}
          {authLabel(server.auth.kind)}
          {signIn && (server.auth.connected ? ' · connected' : ' · not connected')}
        </div>
        <div class="muted small">
          {listed === undefined
            ? 'Tools not listed yet'
            : `${server.allowedTools.length} of ${listed} tools allowed · listed ${formatRelative(server.toolsRefreshedAt)}`}
        </div>
      </div>
      <div class="actions">
        <button
          type="button"
          class="button subtle"
          aria-expanded={showTools}
          aria-controls={toolsId}
          onClick={() => setShowTools(!showTools)}
        >
          {showTools ? 'Hide tools' : 'Tools'}
        </button>
        {can('manage') && signIn && (
          <button type="button" class="button subtle" disabled={connect.busy} onClick={startSignIn}>
            {server.auth.connected ? 'Reconnect' : 'Connect'}
          </button>
        )}
        {can('manage') && (
          <button type="button" class="button subtle" disabled={refresh.busy} onClick={() => void testConnection()}>
            {refresh.busy ? 'Connecting…' : 'Test connection & refresh tools'}
          </button>
        )}
        {can('manage') && (
          <button type="button" class="button subtle" aria-expanded={editing} onClick={() => setEditing(!editing)}>
            {editing ? 'Close' : 'Edit'}
          </button>
        )}
        {can('manage') && (
          <button type="button" class="button danger" disabled={removal.busy} onClick={remove}>
            Delete
          </button>
        )}
      </div>
      {(refresh.notice || error || showTools || editing) && (
        <div class="item-detail">
          {editing && (
            <McpServerForm
              server={server}
              onSaved={() => {
                setEditing(false);
                onChanged();
              }}
            />
          )}
          {refresh.notice && <Notice>{refresh.notice}</Notice>}
          {error && (
            <ErrorBanner
              title={
                error === refresh.error
                  ? "Couldn't connect to the server"
                  : error === connect.error
                    ? "Couldn't start the sign-in"
                    : "Couldn't delete the server"
              }
              error={error}
            />
          )}
          {showTools && (
            <div id={toolsId}>
              {/* Keyed by the listing time, so a refresh starts the checkboxes from the stored choice. */}
              <ToolPicker key={server.toolsRefreshedAt ?? 'never'} server={server} onSaved={onChanged} />
            </div>
          )}
        </div>
      )}
    </li>
  );
}

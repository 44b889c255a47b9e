/** Tools → MCP servers (#/mcp-servers): the team's remote tool servers, added, tested, picked from and removed. */
import { useState } from 'preact/hooks';
import type { McpServerInfo } from '../../../../worker/mcp/routes.ts';
import { Empty, ErrorBanner, Loading, PageHeader } from '../../components/feedback';
import { get } from '../../lib/http';
import { useResource } from '../../lib/resource';
import { can } from '../../lib/session';
import { McpServerForm } from './McpServerForm';
import { McpServerItem } from './McpServerItem';

export function McpServerList() {
  const [state, reload] = useResource(
    (signal) => get<{ data: McpServerInfo[] }>('/api/v1/mcp-servers', { signal }),
    [],
  );
  const [adding, setAdding] = useState(false);
  if (state.status === 'loading') return <Loading what="MCP servers" />;
  if (state.status === 'error')
    return <ErrorBanner title="Couldn't load the MCP servers" error={state.error} onRetry={reload} />;
  const servers = state.value.data;
  return (
    <>
      <PageHeader title="MCP servers">
        {can('manage') && !adding && (
          <button type="button" class="button primary" onClick={() => setAdding(true)}>
            Add MCP server
          </button>
        )}
      </PageHeader>
      <p class="muted">
        Remote <a href="https://modelcontextprotocol.io">Model Context Protocol</a> servers whose tools your chatbots
        may call. Secrets are encrypted at rest and never shown again. A chatbot's LLM step names a server in its tools
        (<code>mcp:&lt;id&gt;</code>) and can call only the tools you allow here.
      </p>
      {adding && (
        <McpServerForm
          onCancel={() => setAdding(false)}
          onSaved={() => {
            setAdding(false);
            reload();
          }}
        />
      )}
      <section class="card" aria-label="Servers">
        {servers.length === 0 ? (
          <Empty title="No MCP servers yet.">Add one to give your chatbots its tools.</Empty>
        ) : (
          <ul class="list">
            {servers.map((server) => (
              <McpServerItem key={server.id} server={server} onChanged={reload} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

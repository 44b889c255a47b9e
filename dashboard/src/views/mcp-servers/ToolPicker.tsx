/** A server's tools as last listed, with a checkbox each: the ones checked are the tools chatbots may call. */
import { useState } from 'preact/hooks';
import type { McpServerInfo } from '../../../../worker/mcp/routes.ts';
import { ErrorBanner, Notice } from '../../components/feedback';
import { patch } from '../../lib/http';
import { can } from '../../lib/session';
import { useAction } from '../../lib/use-action';

export function ToolPicker({ server, onSaved }: { server: McpServerInfo; onSaved: () => void }) {
  const [allowed, setAllowed] = useState(() => new Set(server.allowedTools));
  const { error, notice, busy, run } = useAction();
  const tools = server.tools ?? [];
  if (server.tools === null) return <Notice>Not listed yet: refresh the tools to see what this server offers.</Notice>;
  if (tools.length === 0) return <Notice>The server lists no tools.</Notice>;

  function toggle(name: string, on: boolean) {
    const next = new Set(allowed);
    if (on) next.add(name);
    else next.delete(name);
    setAllowed(next);
  }

  function save(event: Event) {
    event.preventDefault();
    // Keep the server's order; a tool allowed earlier but no longer listed stays allowed until unchecked here.
    const names = [...tools.map((tool) => tool.name), ...server.allowedTools].filter(
      (name, index, all) => allowed.has(name) && all.indexOf(name) === index,
    );
    void run(async () => {
      await patch(`/api/v1/mcp-servers/${server.id}`, { allowedTools: names });
      onSaved();
    }, `Saved: ${names.length} of ${tools.length} tools allowed`);
  }

  const manage = can('manage');
  return (
    <form class="form" onSubmit={save} aria-label={`Tools of ${server.name}`}>
      <fieldset class="mcp-tool-picker">
        <legend>Tools chatbots may call</legend>
        {tools.map((tool) => (
          <label class="checkbox" key={tool.name}>
            <input
              type="checkbox"
              checked={allowed.has(tool.name)}
              disabled={!manage}
              onChange={(event) => toggle(tool.name, (event.target as HTMLInputElement).checked)}
            />
            <span>
              <code>{tool.name}</code>
              {tool.description && <span class="muted small"> — {tool.description}</span>}
            </span>
          </label>
        ))}
      </fieldset>
      {error && <ErrorBanner title="Couldn't save the allowed tools" error={error} />}
      {notice && <Notice>{notice}</Notice>}
      {manage && (
        <div>
          <button type="submit" class="button primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save allowed tools'}
          </button>
        </div>
      )}
    </form>
  );
}

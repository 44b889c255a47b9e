import type { HostTool, JsonObject } from '../../plugins/sdk/index.ts';
import { database } from '../db/client.ts';
import type { HostTurnContext, ToolCatalogEntry, ToolSource } from '../tools/tool-source.ts';
import { CALL_TIMEOUT_MS, connectMcp } from './client.ts';
import { mapResult } from './results.ts';
import { allowedTools, cachedTools, connectionFor, listServers, type McpServerRow, serversByIds } from './store.ts';

const PREFIX = 'mcp:';

/** `mcp:<serverId>` (every tool the admin allowed) or `mcp:<serverId>/<tool>` (one of them). */
export function parseMcpId(id: string): { serverId: string; tool: string | null } {
  const rest = id.slice(PREFIX.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? { serverId: rest, tool: null } : { serverId: rest.slice(0, slash), tool: rest.slice(slash + 1) };
}

/** The allowed tools an id gives, or why it gives none. */
function resolve(row: McpServerRow | undefined, id: string): { tools: string[] } | { error: string } {
  const { tool } = parseMcpId(id);
  if (!row) return { error: `MCP server of "${id}" does not exist` };
  const allowed = allowedTools(row);
  if (tool === null) return { tools: allowed };
  if (!allowed.includes(tool)) return { error: `tool "${tool}" of MCP server "${row.name}" is not allowed` };
  return { tools: [tool] };
}

/** One function per allowed tool. Each call connects, calls and closes: nothing is shared between turns or teams. */
function hostTool(turn: HostTurnContext, row: McpServerRow, name: string): HostTool {
  const info = cachedTools(row)?.find((tool) => tool.name === name);
  return {
    name,
    description: info?.description ?? '',
    parameters: info?.inputSchema ?? { type: 'object' },
    async run(args: JsonObject, signal: AbortSignal) {
      const client = await connectMcp(turn.env, await connectionFor(turn.env, row));
      try {
        const result = await client.callTool({ name, arguments: args }, undefined, {
          signal,
          timeout: CALL_TIMEOUT_MS,
          // A server that reports progress is alive: each notification restarts the timeout; the tool runner's
          // 30 s cap still ends the call.
          onprogress: () => {},
          resetTimeoutOnProgress: true,
        });
        return mapResult(result);
      } finally {
        await client.close();
      }
    },
  };
}

export const mcpToolSource: ToolSource = {
  prefix: PREFIX,
  kind: 'mcp',
  async unknownIds(db, teamId, ids) {
    const rows = await serversByIds(
      db,
      teamId,
      ids.map((id) => parseMcpId(id).serverId),
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    const unknown = new Map<string, string>();
    for (const id of ids) {
      const resolved = resolve(byId.get(parseMcpId(id).serverId), id);
      if ('error' in resolved) unknown.set(id, resolved.error);
    }
    return unknown;
  },
  async list(db, teamId): Promise<ToolCatalogEntry[]> {
    return (await listServers(db, teamId)).map((row) => {
      const allowed = new Set(allowedTools(row));
      const cached = cachedTools(row);
      const entry: ToolCatalogEntry = {
        id: `${PREFIX}${row.id}`,
        kind: 'mcp',
        title: row.name,
        description: `Tools of the MCP server at ${new URL(row.url).host}`,
        functions: (cached ?? [])
          .filter((tool) => allowed.has(tool.name))
          .map((tool) => ({
            id: `${PREFIX}${row.id}/${tool.name}`,
            name: tool.name,
            description: tool.description,
            parameters: tool.inputSchema,
          })),
      };
      if (cached === null) entry.needsConfiguration = "The server's tools were never listed: refresh them first.";
      else if (allowed.size === 0) entry.needsConfiguration = 'No tool of this server is allowed yet.';
      return entry;
    });
  },
  async tools(turn, ids) {
    const db = database(turn.env.DB);
    const rows = await serversByIds(
      db,
      turn.teamId,
      ids.map((id) => parseMcpId(id).serverId),
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    const seen = new Set<string>();
    const tools: HostTool[] = [];
    for (const id of ids) {
      const row = byId.get(parseMcpId(id).serverId);
      const resolved = resolve(row, id);
      if ('error' in resolved) throw new Error(resolved.error);
      for (const name of resolved.tools) {
        if (!row || seen.has(`${row.id}/${name}`)) continue;
        seen.add(`${row.id}/${name}`);
        tools.push(hostTool(turn, row, name));
      }
    }
    return tools;
  },
};

import type { JsonObject } from '../../plugins/sdk/index.ts';
import type { Database } from '../db/client.ts';
import type { Env } from '../env.ts';
import { connectMcp } from './client.ts';
import { connectionFor, type McpServerRow, type McpToolInfo, updateServer } from './store.ts';

/** Tools kept per server: a model handles a few dozen functions well, and the cache is one D1 row (≤ 2 MB). */
export const MAX_TOOLS_PER_SERVER = 100;
/** A tool's description as the model sees it. */
export const MAX_DESCRIPTION_CHARS = 2_000;

/** Asks the server for its tools (`tools/list`, every page), caches them on the row and returns them. */
export async function refreshTools(
  env: Env,
  db: Database,
  row: McpServerRow,
  now = Date.now(),
): Promise<McpToolInfo[]> {
  const client = await connectMcp(env, await connectionFor(env, row));
  try {
    const tools: McpToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined);
      for (const tool of page.tools) {
        if (tools.length >= MAX_TOOLS_PER_SERVER) break;
        tools.push({
          name: tool.name,
          description: (tool.description ?? '').slice(0, MAX_DESCRIPTION_CHARS),
          inputSchema: tool.inputSchema as JsonObject,
        });
      }
      cursor = page.nextCursor;
    } while (cursor && tools.length < MAX_TOOLS_PER_SERVER);
    await updateServer(db, row.teamId, row.id, { toolsCache: JSON.stringify(tools), toolsRefreshedAt: now });
    return tools;
  } finally {
    await client.close();
  }
}

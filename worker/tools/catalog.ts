import { z } from 'zod';
import { tools as installedTools } from '../../plugins/registry.ts';
import type { JsonObject, ToolPlugin } from '../../plugins/sdk/index.ts';
import type { Database } from '../db/client.ts';
import type { Env } from '../env.ts';
import { openConfigsOf } from '../plugin-configs/store.ts';
import { TOOL_SOURCES } from './sources.ts';
import type { ToolCatalogEntry } from './tool-source.ts';

/** One pickable group of the catalog: a tool plugin, a built-in set, a custom action, an MCP server. */
export interface ToolGroup {
  /** The id naming the whole group in an LLM node's `tools`. */
  id: string;
  kind: ToolCatalogEntry['kind'];
  title: string;
  description: string;
  needsConfiguration?: string;
}

/** One function of the catalog, as the model would see it, with the group it belongs to. */
export interface CatalogTool {
  /** The id naming this function alone in `tools`, or null when only its group can be named. */
  id: string | null;
  kind: ToolCatalogEntry['kind'];
  name: string;
  description: string;
  parameters: JsonObject;
  needsConfiguration?: string;
  /** The id of its group (ToolGroup.id). */
  group: string;
}

export interface ToolCatalog {
  groups: ToolGroup[];
  tools: CatalogTool[];
}

/**
 * Tool plugins as catalog entries. One that cannot run on the team's settings (a required setting the team never
 * configured) says so; settings are opened only for plugins whose defaults do not suffice, and never returned.
 */
async function pluginEntries(
  env: Pick<Env, 'DB' | 'ENCRYPTION_KEY'>,
  teamId: string,
  plugins: ReadonlyMap<string, ToolPlugin>,
): Promise<ToolCatalogEntry[]> {
  const needSettings = [...plugins.values()].filter((plugin) => !plugin.settings.safeParse({}).success);
  const configured = await openConfigsOf(
    env,
    teamId,
    'tool',
    needSettings.map((plugin) => plugin.id),
  );
  return [...plugins.values()].map((plugin) => {
    const entry: ToolCatalogEntry = {
      id: plugin.id,
      kind: 'plugin',
      title: plugin.displayName,
      description: plugin.description,
      functions: plugin.functions.map((fn) => ({
        name: fn.name,
        description: fn.description,
        parameters: z.toJSONSchema(fn.parameters, { io: 'input' }) as JsonObject,
      })),
    };
    if (!plugin.settings.safeParse(configured.get(plugin.id) ?? {}).success)
      entry.needsConfiguration = `Configure the "${plugin.displayName}" tool plugin's settings first.`;
    return entry;
  });
}

/**
 * The team's whole tool catalog (`GET /api/v1/tools`, the editor's tool picker): tool plugins, then every registered
 * ToolSource's entries in TOOL_SOURCES order, each group followed by its functions. Bounded by the sources' own caps
 * (5 built-in sets; ≤ 50 MCP servers of ≤ 100 tools each, worker/mcp; custom actions' caps), so it is one page.
 */
export async function teamToolCatalog(
  env: Env,
  db: Database,
  teamId: string,
  plugins: ReadonlyMap<string, ToolPlugin> = installedTools,
): Promise<ToolCatalog> {
  const entries = [
    ...(await pluginEntries(env, teamId, plugins)),
    ...(await Promise.all(TOOL_SOURCES.map((source) => source.list(db, teamId)))).flat(),
  ];
  const catalog: ToolCatalog = { groups: [], tools: [] };
  for (const entry of entries) {
    const { id, kind, title, description, needsConfiguration } = entry;
    catalog.groups.push({ id, kind, title, description, ...(needsConfiguration && { needsConfiguration }) });
    for (const fn of entry.functions) {
      catalog.tools.push({
        id: fn.id ?? null,
        kind,
        name: fn.name,
        description: fn.description,
        parameters: fn.parameters,
        ...(needsConfiguration && { needsConfiguration }),
        group: id,
      });
    }
  }
  return catalog;
}

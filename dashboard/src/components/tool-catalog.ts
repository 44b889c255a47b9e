/**
 * The tool catalog as the settings editor uses it: which functions the ids of an LLM node's `tools` give, and what a
 * picker shows. Pure, so it is unit-tested. Types from the route's schema (worker/tools/routes.ts), type-only.
 */
import type { z } from 'zod';
import type { CatalogTool, ToolCatalogResponse, ToolGroup } from '../../../worker/tools/routes.ts';

export type ToolCatalog = z.infer<typeof ToolCatalogResponse>;
export type CatalogToolInfo = z.infer<typeof CatalogTool>;
export type ToolGroupInfo = z.infer<typeof ToolGroup>;

export interface GroupView {
  group: ToolGroupInfo;
  tools: CatalogToolInfo[];
}

/** Groups with their functions, in catalog order, kept to those matching `query` (title, id, name, description). */
export function groupedTools(catalog: ToolCatalog, query = ''): GroupView[] {
  const needle = query.trim().toLowerCase();
  const hit = (...texts: string[]) => needle === '' || texts.some((text) => text.toLowerCase().includes(needle));
  return catalog.groups.flatMap((group) => {
    const tools = catalog.tools.filter((tool) => tool.group === group.id);
    const groupHit = hit(group.title, group.id, group.description);
    const shown = groupHit ? tools : tools.filter((tool) => hit(tool.name, tool.description, tool.id ?? ''));
    return groupHit || shown.length > 0 ? [{ group, tools: shown }] : [];
  });
}

/** Ids in `selected` that name nothing in the catalog (deleted, not allowed any more, another team's). */
export function missingIds(catalog: ToolCatalog, selected: readonly string[]): string[] {
  const known = new Set([
    ...catalog.groups.map((group) => group.id),
    ...catalog.tools.flatMap((tool) => (tool.id ? [tool.id] : [])),
  ]);
  return selected.filter((id) => !known.has(id));
}

/** The function names the chosen ids give the model (a group: all its functions; a single tool: that one). */
export function chosenFunctions(catalog: ToolCatalog, selected: readonly string[]): string[] {
  const chosen = new Set(selected);
  const names = catalog.tools.filter((tool) => chosen.has(tool.group) || (tool.id !== null && chosen.has(tool.id)));
  return [...new Set(names.map((tool) => tool.name))];
}

/** Toggles one id; choosing a whole group drops its single tools, which the group already gives. */
export function toggleTool(catalog: ToolCatalog, selected: readonly string[], id: string, on: boolean): string[] {
  if (!on) return selected.filter((value) => value !== id);
  const inGroup = new Set(catalog.tools.filter((tool) => tool.group === id).flatMap((tool) => tool.id ?? []));
  return [...selected.filter((value) => !inGroup.has(value)), id];
}

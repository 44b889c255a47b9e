import { customActionToolSource } from '../custom-actions/source.ts';
import { mcpToolSource } from '../mcp/source.ts';
import { builtinToolSource } from './builtin-source.ts';
import type { ToolSource } from './tool-source.ts';

/** Every source of host-built tools, by prefix. Ids with none of these prefixes name tool plugins. */
export const TOOL_SOURCES: readonly ToolSource[] = [builtinToolSource, customActionToolSource, mcpToolSource];

export const toolSourceFor = (id: string): ToolSource | undefined =>
  TOOL_SOURCES.find((source) => id.startsWith(source.prefix));

/** Whether `id` names a host-built tool (of any source) rather than a tool plugin. */
export const isHostToolId = (id: string): boolean => toolSourceFor(id) !== undefined;

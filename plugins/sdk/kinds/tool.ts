import type { z } from 'zod';
import { defineKind } from '../kind.ts';
import type { ToolPlugin } from '../tool.ts';

declare module '../kind.ts' {
  interface PluginKinds<S extends z.ZodObject = z.ZodObject> {
    tool: ToolPlugin<S>;
  }
}

/**
 * Tools a model may call (interface in ../tool.ts). Configured once per team (an API key, a base URL), then enabled
 * per chatbot by id.
 */
export const toolKind = defineKind<ToolPlugin>({
  kind: 'tool',
  label: 'Tools',
  description: 'Offers functions the model can call',
  contract: 'plugins/sdk/contracts/tool.contract.ts',
  configs: 'single',
  capabilities: (plugin) => ({
    functions: plugin.functions.map((fn) => ({ name: fn.name, description: fn.description })),
  }),
});

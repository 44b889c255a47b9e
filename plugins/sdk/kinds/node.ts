import type { z } from 'zod';
import { defineKind } from '../kind.ts';
import type { NodePlugin } from '../node/plugin.ts';

declare module '../kind.ts' {
  interface PluginKinds<S extends z.ZodObject = z.ZodObject> {
    node: NodePlugin<S>;
  }
}

/** Pipeline node kinds (interface in ../node/). The engine's structural kinds, start and end, are not plugins. */
export const nodeKind = defineKind<NodePlugin>({
  kind: 'node',
  label: 'Pipeline nodes',
  description: 'Adds a kind of node to the pipeline editor',
  contract: 'plugins/sdk/contracts/node.contract.ts',
  configs: 'single',
  capabilities: (plugin) => ({
    nodeKind: plugin.node.id,
    routes: plugin.node.routes,
    streams: plugin.node.streams ?? false,
  }),
});

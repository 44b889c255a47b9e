import { z } from 'zod';
import { DEFAULT_PORT, defineNodeKind, definePlugin } from '../../sdk/index.ts';
import { runToolNode } from './run.ts';
import { toolNodeSettings } from './settings.ts';

export const toolKind = defineNodeKind({
  id: 'tool',
  displayName: 'Tool',
  description:
    'Calls one tool directly (a built-in set, an MCP tool, a custom action, a tool plugin) with templated arguments, without a model',
  settings: toolNodeSettings,
  defaults: { tool: 'builtin:calculator', arguments: { expression: '{{ input }}' } },
  inputs: 'any value, available to the argument templates as input',
  output: "the tool's result (also stored under the run key outputKey)",
  acceptsInput: true,
  ports: () => [DEFAULT_PORT],
  routes: false,
  silent: true,
  run: runToolNode,
});

/** The pipeline node that calls a tool with arguments an admin writes, not a model. */
export const toolNode = definePlugin({
  id: 'tool',
  kind: 'node',
  displayName: 'Tool',
  description: 'Pipeline node that calls one of the team’s tools directly with templated arguments.',
  version: '1.0.0',
  // The tools have their own configuration (tool plugins, MCP servers, custom actions); the node needs none.
  settings: z.strictObject({}),
  secrets: [],
  node: toolKind,
});

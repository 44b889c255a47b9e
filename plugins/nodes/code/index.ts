import { z } from 'zod';
import type { NodePlugin } from '../../sdk/index.ts';
import { DEFAULT_PORT, defineNodeKind } from '../../sdk/node/kind.ts';
import { runCode } from './run.ts';
import { codeSettings } from './settings.ts';

/**
 * The code node: JavaScript an admin writes, run by the host's CodeSandbox (QuickJS by default: counted-work, heap
 * and stack limits that hold deployed) with a small helper API and no network beyond its allow-listed `http`.
 * It is a router (`routes: true`) so that code can pick a branch: without declared routes it has the one port
 * `out` and always leaves by it.
 */
export const codeNode = defineNodeKind({
  id: 'code',
  displayName: 'Code',
  description:
    'Runs JavaScript you write (main(input, ctx)) in a sandbox, with helpers for state, tags, routes and http',
  settings: codeSettings,
  defaults: { code: 'function main(input, ctx) {\n  return input;\n}\n' },
  inputs: 'Any JSON: main receives the last input; get_node_output(id) reads the others',
  output: 'What main returns (JSON), or { value, logs } with returnLogs',
  acceptsInput: true,
  routes: true,
  ports: (settings) => settings.routes ?? [DEFAULT_PORT],
  run: runCode,
});

export const codeNodePlugin: NodePlugin = {
  id: 'code',
  kind: 'node',
  displayName: 'Code node',
  description: 'Pipeline node that runs sandboxed JavaScript',
  version: '1.0.0',
  settings: z.object({}),
  secrets: [],
  node: codeNode,
};

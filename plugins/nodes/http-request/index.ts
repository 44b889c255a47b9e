import type { NodePlugin } from '../../sdk/index.ts';
import { DEFAULT_PORT, defineNodeKind } from '../../sdk/node/kind.ts';
import { runHttpRequest } from './run.ts';
import { httpRequestSettings, httpRequestTeamSettings } from './settings.ts';

export const httpRequestNode = defineNodeKind({
  id: 'http_request',
  displayName: 'HTTP request',
  description: 'Calls an HTTP API with a templated method, URL, headers and body; secrets come from team settings',
  settings: httpRequestSettings,
  defaults: { method: 'GET', url: 'https://api.example.com/' },
  inputs: 'Any JSON, available to the templates as input',
  output: '{ status, ok, headers, json | text } (also stored under the run key resultKey)',
  acceptsInput: true,
  routes: false,
  silent: true,
  ports: () => [DEFAULT_PORT],
  run: runHttpRequest,
});

export const httpRequestNodePlugin: NodePlugin = {
  id: 'http-request',
  kind: 'node',
  displayName: 'HTTP request node',
  description: 'Pipeline node that calls HTTP APIs; configure named secrets for its templates here',
  version: '1.0.0',
  settings: httpRequestTeamSettings,
  secrets: ['secrets'],
  node: httpRequestNode,
};

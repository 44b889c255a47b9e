import { env } from 'cloudflare:test';
import { inject } from 'vitest';
import { database } from '../db/client.ts';
import { createServer as createMcpServer, type McpAuth } from './store.ts';

/** The fake MCP server's endpoint (worker/mcp/fake/server.ts), started by test/global-setup.ts. */
export const fakeMcpUrl = (path = '/mcp') => `${inject('fakeServers').mcp}${path}`;

/** A server row of `teamId` pointing at the fake, allowing `allowed`. */
export function fakeMcpServer(teamId: string, allowed: string[], auth: McpAuth = { kind: 'none' }, path = '/mcp') {
  return createMcpServer(env, database(env.DB), teamId, {
    name: 'Fake tools',
    url: fakeMcpUrl(path),
    transport: 'streamable-http',
    auth,
    allowedTools: allowed,
  });
}

import type { mcpServers } from '../db/schema/index.ts';
import type { ClientCredentials } from './oauth.ts';
import type { AuthorizationCode } from './oauth-provider.ts';

/** How a server is authenticated, as stored (sealed whole). */
export type McpAuth =
  | { kind: 'none' }
  | { kind: 'headers'; headers: Record<string, string> }
  | { kind: 'bearer'; token: string }
  | ClientCredentials
  | AuthorizationCode;

export type McpServerRow = typeof mcpServers.$inferSelect;

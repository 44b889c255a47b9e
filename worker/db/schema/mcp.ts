import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { teamRef } from './team-ref.ts';

/**
 * MCP servers a team's chatbots may call tools of (worker/mcp/, docs/mcp.md). `sealed_auth` holds the header values
 * or OAuth token, sealed with the team's context (never returned); `allowed_tools` is a JSON array of tool names the
 * admin picked; `tools_cache` the server's last `tools/list` answer (JSON), refreshed by POST …/tools/refresh.
 */
export const mcpServers = sqliteTable(
  'mcp_servers',
  {
    id: text('id').primaryKey(),
    teamId: teamRef(),
    name: text('name').notNull(),
    url: text('url').notNull(),
    transport: text('transport', { enum: ['streamable-http', 'sse'] }).notNull(),
    authKind: text('auth_kind', {
      enum: ['none', 'headers', 'bearer', 'oauth2_client_credentials', 'oauth2_authorization_code'],
    }).notNull(),
    sealedAuth: text('sealed_auth'),
    allowedTools: text('allowed_tools').notNull(),
    toolsCache: text('tools_cache'),
    toolsRefreshedAt: integer('tools_refreshed_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('mcp_servers_team').on(t.teamId, t.createdAt)],
);

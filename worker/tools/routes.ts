import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../auth/middleware.ts';
import { database } from '../db/client.ts';
import { createRouter } from '../http/app.ts';
import { errorResponses } from '../http/schemas.ts';
import { teamToolCatalog } from './catalog.ts';

const kind = z
  .enum(['plugin', 'builtin', 'custom_action', 'mcp'])
  .describe('Which source the tool comes from: a tool plugin, a built-in set, a custom action or an MCP server');
const needsConfiguration = z
  .string()
  .optional()
  .describe('Why the team cannot use it yet (settings missing, tools never listed); absent when it is ready');

export const ToolGroup = z
  .object({
    id: z
      .string()
      .describe("The id naming the whole group in an LLM node's `tools` (`clock`, `builtin:…`, `mcp:<id>`)"),
    kind,
    title: z.string(),
    description: z.string(),
    needsConfiguration,
  })
  .openapi('ToolGroup');

export const CatalogTool = z
  .object({
    id: z
      .string()
      .nullable()
      .describe('The id naming this function alone in `tools` (`mcp:<id>/<tool>`); null when only its group can'),
    kind,
    name: z.string().describe('The function name the model calls'),
    description: z.string(),
    parameters: z.record(z.string(), z.unknown()).describe('JSON Schema of the arguments'),
    needsConfiguration,
    group: z.string().describe('The id of its group'),
  })
  .openapi('CatalogTool');

export const ToolCatalogResponse = z
  .object({ groups: z.array(ToolGroup), tools: z.array(CatalogTool) })
  .openapi('ToolCatalog');

/** The team's tool catalog: what an LLM node's `tools` and a Tool node's `tool` can name (docs/tools.md). */
export const toolRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/tools',
    tags: ['Tools'],
    summary: "The team's tool catalog: tool plugins, built-in sets, custom actions and MCP tools, grouped by source",
    description:
      'One page: every source caps its own size (5 built-in sets; at most 50 MCP servers of at most 100 cached ' +
      "tools each). MCP tools come from the server's cached list (`POST /api/v1/mcp-servers/{id}/tools/refresh`), " +
      'restricted to the tools the admin allowed. No secret or setting value is included.',
    middleware: [requireApiKey('read')] as const,
    responses: {
      200: { description: 'The catalog', content: { 'application/json': { schema: ToolCatalogResponse } } },
      ...errorResponses,
    },
  }),
  async (c) => c.json(await teamToolCatalog(c.env, database(c.env.DB), c.var.auth.teamId), 200),
);

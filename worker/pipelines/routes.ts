import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, inArray } from 'drizzle-orm';
import { registry } from '../../plugins/registry.ts';
import { requireApiKey } from '../auth/middleware.ts';
import { database } from '../db/client.ts';
import { pluginConfigs } from '../db/schema/index.ts';
import { createRouter } from '../http/app.ts';
import { errorResponses } from '../http/schemas.ts';
import { nodeKinds, pluginOfKind } from './kinds.ts';
import { nodeRunRoutes } from './node-run-routes.ts';
import { describeNodeKind } from './node-types.ts';

const NodeTypeSchema = z
  .object({
    id: z.string().describe('The `kind` a pipeline node names, e.g. static_router'),
    displayName: z.string(),
    description: z.string(),
    inputs: z.string().describe('What the node expects'),
    output: z.string().describe('What it produces'),
    acceptsInput: z.boolean().describe('False only for start: no edge may lead into it'),
    routes: z.boolean().describe('A router: follows exactly one of its ports; every port must be wired'),
    ports: z
      .array(z.string())
      .nullable()
      .describe(
        'The output ports edges may name in `fromPort` (`out`; none for end); null for a router, whose ports are its settings',
      ),
    streams: z
      .boolean()
      .describe('Its output may stream to the user token by token when it is certain to be the reply'),
    settingsSchema: z.record(z.string(), z.unknown()).describe("The node's `settings` as JSON Schema"),
    defaults: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe('Settings a new node of this kind starts with; they pass validation (null: the kind has none)'),
    plugin: z
      .object({
        id: z.string(),
        version: z.string(),
        hasTeamSettings: z.boolean().describe('The plugin has team-wide settings (secrets of an HTTP node, …)'),
        configured: z
          .boolean()
          .nullable()
          .describe(
            'Whether this team has configured them (/api/v1/plugin-configs); null when there are none to configure',
          ),
      })
      .nullable()
      .describe('The node plugin that brings the kind; null for the built-ins start and end'),
  })
  .openapi('NodeType');

export type NodeTypeInfo = z.infer<typeof NodeTypeSchema>;

/** The node kinds a pipeline may use, for the editor and for programs that build pipelines (docs/pipelines.md). */
export const pipelineRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/pipelines/node-types',
      tags: ['Pipelines'],
      summary: 'List the node kinds a pipeline may use, with their settings as JSON Schema',
      middleware: [requireApiKey('read')] as const,
      responses: {
        200: {
          description: 'Every node kind: the built-ins (start, end) and those of the installed node plugins',
          content: { 'application/json': { schema: z.object({ data: z.array(NodeTypeSchema) }) } },
        },
        401: errorResponses[401],
        403: errorResponses[403],
      },
    }),
    async (c) => {
      const kinds = [...nodeKinds().values()];
      const plugins = new Map(
        kinds.map((kind) => {
          const id = pluginOfKind(kind.id);
          return [kind.id, id ? registry.of('node').get(id) : undefined] as const;
        }),
      );
      const withSettings = [...plugins.values()].flatMap((plugin) =>
        plugin && Object.keys(plugin.settings.shape).length ? [plugin.id] : [],
      );
      const configured = new Set(
        withSettings.length
          ? (
              await database(c.env.DB)
                .select({ pluginId: pluginConfigs.pluginId })
                .from(pluginConfigs)
                .where(
                  and(
                    eq(pluginConfigs.teamId, c.var.auth.teamId),
                    eq(pluginConfigs.kind, 'node'),
                    inArray(pluginConfigs.pluginId, withSettings),
                  ),
                )
            ).map((row) => row.pluginId)
          : [],
      );
      const data = kinds.map((kind) => {
        const plugin = plugins.get(kind.id);
        const hasTeamSettings = plugin ? withSettings.includes(plugin.id) : false;
        return {
          ...describeNodeKind(kind),
          plugin: plugin
            ? {
                id: plugin.id,
                version: plugin.version,
                hasTeamSettings,
                configured: hasTeamSettings ? configured.has(plugin.id) : null,
              }
            : null,
        };
      });
      return c.json({ data }, 200);
    },
  )
  .route('/', nodeRunRoutes);

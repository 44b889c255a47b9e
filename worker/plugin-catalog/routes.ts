import { createRoute, z } from '@hono/zod-openapi';
import { registry } from '../../plugins/registry.ts';
import { kinds } from '../../plugins/sdk/index.ts';
import { requireApiKey } from '../auth/middleware.ts';
import { createRouter } from '../http/app.ts';
import { errorResponses } from '../http/schemas.ts';

const PluginSchema = z
  .object({
    id: z.string(),
    // The kinds the SDK declares (plugins/sdk/kinds/), so a new kind is in the enum without an edit here.
    kind: z.enum(kinds.map((definition) => definition.kind) as [string, ...string[]]),
    displayName: z.string(),
    description: z.string(),
    version: z.string(),
    capabilities: z.record(z.string(), z.unknown()),
    settingsSchema: z.record(z.string(), z.unknown()),
    secrets: z.array(z.string()),
  })
  .openapi('Plugin');

export type PluginInfo = z.infer<typeof PluginSchema>;

const PluginKindSchema = z
  .object({
    kind: z.string(),
    label: z.string(),
    description: z.string(),
    contract: z.string().describe('The contract suite every plugin of the kind runs'),
    configs: z
      .enum(['named', 'many', 'single'])
      .describe('How many configurations a team keeps of one plugin: named (unique names), many, or single'),
    managedBy: z
      .string()
      .nullable()
      .describe('The route that writes configurations of this kind, when not /api/v1/plugin-configs'),
  })
  .openapi('PluginKind');

export const pluginRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/plugins',
      tags: ['Plugins'],
      summary: 'List installed plugins with their settings as JSON Schema',
      middleware: [requireApiKey('read')] as const,
      responses: {
        200: {
          description: 'Installed plugins',
          content: { 'application/json': { schema: z.object({ data: z.array(PluginSchema) }) } },
        },
        401: errorResponses[401],
        403: errorResponses[403],
      },
    }),
    (c) => c.json({ data: registry.catalog() }, 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/plugins/kinds',
      tags: ['Plugins'],
      summary: 'List the plugin kinds: what each does and how a team configures its plugins',
      middleware: [requireApiKey('read')] as const,
      responses: {
        200: {
          description: 'Plugin kinds',
          content: { 'application/json': { schema: z.object({ data: z.array(PluginKindSchema) }) } },
        },
        401: errorResponses[401],
        403: errorResponses[403],
      },
    }),
    (c) =>
      c.json(
        {
          data: kinds.map((definition) => ({
            kind: definition.kind,
            label: definition.label,
            description: definition.description,
            contract: definition.contract,
            configs: definition.configs,
            managedBy: definition.managedBy ?? null,
          })),
        },
        200,
      ),
  );

import { createRoute, z } from '@hono/zod-openapi';
import { installed } from '../../plugins/registry.ts';
import type { JsonObject, Plugin } from '../../plugins/sdk/index.ts';
import { settingsJsonSchema } from '../../plugins/sdk/index.ts';
import { createRouter } from '../http/app.ts';
import { requireApiKey } from '../http/auth.ts';
import { errorResponses } from './schemas.ts';

const PluginSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['provider', 'channel', 'tool']),
    displayName: z.string(),
    description: z.string(),
    version: z.string(),
    capabilities: z.record(z.string(), z.unknown()),
    settingsSchema: z.record(z.string(), z.unknown()),
    secrets: z.array(z.string()),
  })
  .openapi('Plugin');

export type PluginInfo = z.infer<typeof PluginSchema>;

function describePlugin(plugin: Plugin) {
  // Capabilities are plain data (booleans, numbers, string lists); the cast only drops TypeScript's readonly.
  const capabilities = (plugin.kind === 'tool'
    ? { functions: plugin.functions.map((fn) => ({ name: fn.name, description: fn.description })) }
    : plugin.capabilities) as unknown as JsonObject;
  return {
    id: plugin.id,
    kind: plugin.kind,
    displayName: plugin.displayName,
    description: plugin.description,
    version: plugin.version,
    capabilities,
    settingsSchema: settingsJsonSchema(plugin),
    secrets: [...plugin.secrets],
  };
}

// Computed once per isolate: the registry is static.
let described: ReturnType<typeof describePlugin>[] | undefined;

export const pluginRoutes = createRouter().openapi(
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
  (c) => {
    described ??= installed.map(describePlugin);
    return c.json({ data: described }, 200);
  },
);

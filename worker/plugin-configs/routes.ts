import { createRoute, z } from '@hono/zod-openapi';
import { registry } from '../../plugins/registry.ts';
import { kinds } from '../../plugins/sdk/index.ts';
import { requireApiKey } from '../auth/middleware.ts';
import { database } from '../db/client.ts';
import type { Env } from '../env.ts';
import { createRouter } from '../http/app.ts';
import { ApiError } from '../http/errors.ts';
import { cursorQuery, errorResponses, idParam, iso } from '../http/schemas.ts';
import { humanText } from '../http/text.ts';
import {
  configSecretNames,
  configurablePlugin,
  findPluginConfig,
  guardConflict,
  insertPluginConfig,
  listPluginConfigs,
  type PluginConfigRow,
  patchPluginConfig,
  preparePluginConfig,
  removePluginConfig,
  savePluginConfig,
} from './store.ts';

// The kinds the SDK declares (plugins/sdk/kinds/): a new kind is filterable here without an edit.
const kind = z.enum(kinds.map((definition) => definition.kind) as [string, ...string[]]);

const settings = z
  .record(z.string(), z.unknown())
  .describe("The plugin's settings, public and secret (GET /api/v1/plugins has their JSON Schema)");

const PluginConfig = z
  .object({
    id: z.string(),
    kind,
    pluginId: z.string(),
    name: z.string(),
    settings: z.record(z.string(), z.unknown()).describe('Public settings only, defaults applied; never secrets'),
    secretsSet: z.array(z.string()).describe('Names of the secret settings stored (their values are never returned)'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('PluginConfig');

const name = humanText().trim().min(1).max(100);
const CreatePluginConfig = z
  .strictObject({
    pluginId: z.string().min(1).max(40).openapi({ example: 'clock' }),
    name: name.optional().describe("Defaults to the plugin's display name"),
    settings: settings.openapi({ example: { defaultTimeZone: 'Europe/Paris' } }),
  })
  .openapi('CreatePluginConfig');
const UpdatePluginConfig = z
  .strictObject({
    name: name.optional(),
    settings: settings
      .optional()
      .describe(
        'Merged over the stored settings: each key sent replaces its value, null removes it, a secret not sent keeps its value',
      ),
  })
  .openapi('UpdatePluginConfig');

const params = z.object({ id: idParam('id', 'pcfg_01hx…') });
const listQuery = cursorQuery.extend({ kind: kind.optional(), pluginId: z.string().min(1).max(40).optional() });
const json = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });

async function present(env: Env, row: PluginConfigRow) {
  return {
    id: row.id,
    kind: row.kind,
    pluginId: row.pluginId,
    name: row.name,
    settings: row.settings,
    secretsSet: await configSecretNames(env, row),
    createdAt: iso(row.createdAt) as string,
    updatedAt: iso(row.updatedAt) as string,
  };
}

/**
 * Configurations of kinds that carry more than settings (a channel belongs to a chatbot) are written by their own
 * route (the kind's `managedBy`): written here they would lose what makes them work.
 */
function refuseManaged(kindName: string, field: string) {
  const managedBy = registry.kind(kindName)?.managedBy;
  if (!managedBy) return;
  throw new ApiError(400, 'invalid_request', `Invalid ${field}`, [
    { field, message: `a ${kindName} plugin: configure it through ${managedBy}` },
  ]);
}

/** One API for every plugin's team-wide settings and secrets, whatever its kind. */
export const pluginConfigRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/plugin-configs',
      tags: ['Plugins'],
      summary: "List the team's plugin configurations of every kind, oldest first (secrets never included)",
      description: 'Cursor-paginated: pass `nextCursor` back as `cursor` until it is null.',
      middleware: [requireApiKey('read')] as const,
      request: { query: listQuery },
      responses: {
        200: json(
          'A page of configurations',
          z.object({ data: z.array(PluginConfig), nextCursor: z.string().nullable() }),
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const result = await listPluginConfigs(database(c.env.DB), c.var.auth.teamId, c.req.valid('query'));
      const data = await Promise.all(result.data.map((row) => present(c.env, row)));
      return c.json({ data, nextCursor: result.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/plugin-configs',
      tags: ['Plugins'],
      summary: "Configure a plugin for the team: settings validated by the plugin's schema, secrets sealed",
      description: `How many configurations a plugin may have depends on its kind (\`configs\` in
\`GET /api/v1/plugins/kinds\`): \`single\` kinds once per team, \`named\` kinds under unique names. Channels are
configured through \`/api/v1/channels\`.`,
      middleware: [requireApiKey('admin')] as const,
      request: { body: body(CreatePluginConfig) },
      responses: {
        201: json('Created', PluginConfig),
        ...errorResponses,
        409: json('Already configured, or the name is taken', errorResponses[400].content['application/json'].schema),
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const { plugin } = configurablePlugin(input.pluginId, undefined);
      refuseManaged(plugin.kind, 'body.pluginId');
      const { row } = await preparePluginConfig(c.env, c.var.auth.teamId, {
        pluginId: plugin.id,
        name: input.name ?? plugin.displayName,
        settings: input.settings,
      });
      await guardConflict(row, insertPluginConfig(database(c.env.DB), row));
      return c.json(await present(c.env, row), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/plugin-configs/{id}',
      tags: ['Plugins'],
      summary: 'Get one plugin configuration (secrets never included)',
      middleware: [requireApiKey('read')] as const,
      request: { params },
      responses: { 200: json('The configuration', PluginConfig), ...errorResponses },
    }),
    async (c) => {
      const row = await findPluginConfig(database(c.env.DB), c.var.auth.teamId, c.req.valid('param').id);
      return c.json(await present(c.env, row), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/plugin-configs/{id}',
      tags: ['Plugins'],
      summary: 'Rename, or change settings (merged; an omitted secret keeps its value, null removes a setting)',
      middleware: [requireApiKey('admin')] as const,
      request: { params, body: body(UpdatePluginConfig) },
      responses: {
        200: json('The configuration', PluginConfig),
        ...errorResponses,
        409: json('The name is taken', errorResponses[400].content['application/json'].schema),
      },
    }),
    async (c) => {
      const db = database(c.env.DB);
      const stored = await findPluginConfig(db, c.var.auth.teamId, c.req.valid('param').id);
      refuseManaged(stored.kind, 'path.id');
      const { row } = await patchPluginConfig(c.env, stored, c.req.valid('json'));
      await guardConflict(row, savePluginConfig(db, row));
      return c.json(await present(c.env, row), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/plugin-configs/{id}',
      tags: ['Plugins'],
      summary: 'Delete a configuration; what uses it (a chatbot step, a tool) stops working until configured again',
      middleware: [requireApiKey('admin')] as const,
      request: { params },
      responses: { 204: { description: 'Deleted' }, ...errorResponses },
    }),
    async (c) => {
      const db = database(c.env.DB);
      const row = await findPluginConfig(db, c.var.auth.teamId, c.req.valid('param').id);
      refuseManaged(row.kind, 'path.id');
      await removePluginConfig(db, row);
      return c.body(null, 204);
    },
  );

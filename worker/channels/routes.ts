import { createRoute, type z } from '@hono/zod-openapi';
import { channels as channelPlugins } from '../../plugins/registry.ts';
import { requireApiKey } from '../auth/middleware.ts';
import { findChatbot } from '../chatbots/store.ts';
import { database } from '../db/client.ts';
import type { Env } from '../env.ts';
import { createRouter } from '../http/app.ts';
import { errorResponses, iso } from '../http/schemas.ts';
import {
  ChannelPageSchema,
  ChannelSchema,
  ChannelWithSetupSchema,
  CreateChannelSchema,
  channelListQuery,
  channelParams,
  channelValidationHook,
  UpdateChannelSchema,
} from './api-schemas.ts';
import { channelOptions } from './options.ts';
import { runChannelSetup } from './setup.ts';
import {
  type ChannelRow,
  createChannel,
  deleteChannel,
  findChannel,
  listChannels,
  type SavedChannel,
  storedSecretNames,
  updateChannel,
} from './store.ts';
import { webhookUrl } from './webhook-url.ts';

/** What every channel route answers: never a secret value, only the names of the secrets stored. */
async function presentChannel(env: Env, requestUrl: string, row: ChannelRow) {
  return {
    id: row.id,
    chatbotId: row.chatbotId,
    pluginId: row.pluginId,
    name: row.name,
    enabled: row.enabled,
    settings: row.settings,
    secretsSet: await storedSecretNames(env, row),
    options: channelOptions.parse(row.options),
    webhookUrl: webhookUrl(env, requestUrl, row.pluginId, row.id),
    createdAt: iso(row.createdAt) as string,
    updatedAt: iso(row.updatedAt) as string,
  };
}

/** Registers the webhook on the platform after a save that set settings; best effort (worker/channels/setup.ts). */
async function setupAfterSave(env: Env, requestUrl: string, saved: SavedChannel) {
  const plugin = channelPlugins.get(saved.row.pluginId);
  if (!plugin || !saved.settings) return null;
  return runChannelSetup(plugin, saved.settings, webhookUrl(env, requestUrl, saved.row.pluginId, saved.row.id));
}

const json = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });

export const channelRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/channels',
      tags: ['Channels'],
      summary: 'Connect a chatbot to a messaging channel (Telegram, WhatsApp, …)',
      description: `Settings are validated by the channel plugin's schema (\`GET /api/v1/plugins\`); secret settings
are stored encrypted and never returned. The plugin's setup (e.g. Telegram's setWebhook) then runs best effort: its
outcome is in \`setup\`, and a failure there does not undo the channel.`,
      middleware: [requireApiKey('admin')] as const,
      request: { body: body(CreateChannelSchema) },
      responses: { 201: json('Created', ChannelWithSetupSchema), ...errorResponses },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const db = database(c.env.DB);
      const chatbot = await findChatbot(db, c.var.auth.teamId, input.chatbotId);
      const saved = await createChannel(db, c.env, c.var.auth.teamId, { ...input, chatbotId: chatbot.id });
      const setup = await setupAfterSave(c.env, c.req.url, saved);
      return c.json({ ...(await presentChannel(c.env, c.req.url, saved.row)), setup }, 201);
    },
    channelValidationHook,
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/channels',
      tags: ['Channels'],
      summary: 'List channels, newest first',
      middleware: [requireApiKey('read')] as const,
      request: { query: channelListQuery },
      responses: {
        200: json('A page of channels', ChannelPageSchema),
        400: errorResponses[400],
        401: errorResponses[401],
        403: errorResponses[403],
      },
    }),
    async (c) => {
      const result = await listChannels(database(c.env.DB), c.var.auth.teamId, c.req.valid('query'));
      const data = await Promise.all(result.data.map((row) => presentChannel(c.env, c.req.url, row)));
      return c.json({ data, nextCursor: result.nextCursor }, 200);
    },
    channelValidationHook,
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/channels/{id}',
      tags: ['Channels'],
      summary: 'Get a channel',
      middleware: [requireApiKey('read')] as const,
      request: { params: channelParams },
      responses: { 200: json('The channel', ChannelSchema), ...errorResponses },
    }),
    async (c) => {
      const row = await findChannel(database(c.env.DB), c.var.auth.teamId, c.req.valid('param').id);
      return c.json(await presentChannel(c.env, c.req.url, row), 200);
    },
    channelValidationHook,
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/channels/{id}',
      tags: ['Channels'],
      summary: 'Rename, enable or disable a channel, or change its options or settings',
      description: `\`settings\` is merged over the stored settings, so a secret can be left out to keep it; the
result is validated again and the plugin's setup runs again (\`setup\`). The chatbot and plugin cannot change.`,
      middleware: [requireApiKey('admin')] as const,
      request: { params: channelParams, body: body(UpdateChannelSchema) },
      responses: { 200: json('The updated channel', ChannelWithSetupSchema), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const saved = await updateChannel(database(c.env.DB), c.env, c.var.auth.teamId, id, c.req.valid('json'));
      const setup = await setupAfterSave(c.env, c.req.url, saved);
      return c.json({ ...(await presentChannel(c.env, c.req.url, saved.row)), setup }, 200);
    },
    channelValidationHook,
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/channels/{id}',
      tags: ['Channels'],
      summary: 'Delete a channel; its conversations stay, without a channel',
      middleware: [requireApiKey('admin')] as const,
      request: { params: channelParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses },
    }),
    async (c) => {
      await deleteChannel(database(c.env.DB), c.var.auth.teamId, c.req.valid('param').id);
      return c.body(null, 204);
    },
    channelValidationHook,
  );

import { z } from '@hono/zod-openapi';
import { ApiError } from '../http/errors.ts';
import { cursorQuery, idParam } from '../http/schemas.ts';
import { humanText } from '../http/text.ts';
import { channelOptions } from './options.ts';

/** Request and response shapes of the channel routes; they double as the OpenAPI description. */

const option = channelOptions.shape;

/** Channel options as answered: every field, defaults applied. */
const ChannelOptionsSchema = z
  .object({
    unsupportedReply: option.unsupportedReply.unwrap(),
    errorReply: option.errorReply.unwrap(),
    streamEdits: option.streamEdits.unwrap(),
    voiceReplies: option.voiceReplies.unwrap(),
  })
  .openapi('ChannelOptions');

/**
 * Options as sent: any subset, merged over the stored ones. Built from the unwrapped fields because zod's
 * `.partial()` would fill every absent field with its default, and a PATCH would then reset what it did not name.
 */
const ChannelOptionsPatch = z
  .strictObject({
    unsupportedReply: option.unsupportedReply.unwrap().optional(),
    errorReply: option.errorReply.unwrap().optional(),
    streamEdits: option.streamEdits.unwrap().optional(),
    voiceReplies: option.voiceReplies.unwrap().optional(),
  })
  .openapi('ChannelOptionsPatch');

const SetupSchema = z
  .object({ ok: z.boolean(), message: z.string() })
  .nullable()
  .describe(
    "Result of registering the webhook on the platform's side (e.g. Telegram setWebhook); null when the plugin has nothing to set up or settings did not change",
  )
  .openapi('ChannelSetup');

export const ChannelSchema = z
  .object({
    id: z.string(),
    chatbotId: z.string(),
    pluginId: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    settings: z.record(z.string(), z.unknown()).describe('Public settings only, defaults applied; never secrets'),
    secretsSet: z.array(z.string()).describe('Names of the secret settings stored (their values are never returned)'),
    options: ChannelOptionsSchema,
    webhookUrl: z.string().describe('Where the platform must post webhooks'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Channel');

export const ChannelWithSetupSchema = ChannelSchema.extend({ setup: SetupSchema }).openapi('ChannelWithSetup');

export type Channel = z.infer<typeof ChannelSchema>;
export type ChannelWithSetup = z.infer<typeof ChannelWithSetupSchema>;

export const ChannelPageSchema = z.object({ data: z.array(ChannelSchema), nextCursor: z.string().nullable() });

const settings = z
  .record(z.string(), z.unknown())
  .describe("The plugin's settings, public and secret (GET /api/v1/plugins has their JSON Schema)");

export const CreateChannelSchema = z
  .strictObject({
    chatbotId: z.string().min(1).max(64).openapi({ example: 'bot_01hx…' }),
    pluginId: z.string().min(1).max(40).openapi({ example: 'telegram' }),
    name: humanText().trim().min(1).max(100).openapi({ example: 'Support on Telegram' }),
    settings: settings.openapi({
      example: { botToken: '123456:ABC-DEF', webhookSecret: 'a-random-secret-of-16-or-more' },
    }),
    options: ChannelOptionsPatch.optional(),
    enabled: z.boolean().default(true),
  })
  .openapi('CreateChannel');

export const UpdateChannelSchema = z
  .strictObject({
    name: humanText().trim().min(1).max(100).optional(),
    enabled: z.boolean().optional(),
    options: ChannelOptionsPatch.optional().describe('Merged over the stored options'),
    settings: settings
      .optional()
      .describe(
        'Merged over the stored settings: each key sent replaces its value, null removes it, a secret not sent keeps its stored value. Re-runs the setup.',
      ),
  })
  .openapi('UpdateChannel');

export const channelParams = z.object({ id: idParam('id', 'chn_01hx…') });

export const channelListQuery = cursorQuery.extend({
  chatbotId: z.string().min(1).max(64).optional(),
  pluginId: z.string().min(1).max(40).optional(),
  enabled: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .openapi({ description: 'true lists only enabled channels, false only disabled ones' }),
});

/** Fields a channel keeps for life: a different chatbot or platform is a different channel. */
const FIXED_FIELDS = new Set(['chatbotId', 'pluginId']);

/**
 * The routes' validation hook. Like the default one (worker/http/errors.ts) but it names each unknown key as its
 * own field (`body.chatbotId`), because zod reports them all on the parent object.
 */
export function channelValidationHook(
  result: { success: true } | { success: false; error: z.ZodError; target: string },
): undefined {
  if (result.success) return undefined;
  const root = result.target === 'json' ? 'body' : result.target;
  const details = result.error.issues.flatMap((issue) => {
    const at = [root, ...issue.path.map(String)];
    if (issue.code !== 'unrecognized_keys') return [{ field: at.join('.'), message: issue.message }];
    return issue.keys.map((key) => ({
      field: [...at, key].join('.'),
      message:
        at.length === 1 && FIXED_FIELDS.has(key) ? 'cannot be changed: create a new channel instead' : 'unknown field',
    }));
  });
  throw new ApiError(
    400,
    'invalid_request',
    `Invalid ${[...new Set(details.map((d) => d.field))].join(', ')}`,
    details,
  );
}

import { z } from 'zod';
import { titled } from '../../sdk/titles.ts';

/** Telegram Bot API base URL (https://core.telegram.org/bots/api#making-requests). */
export const TELEGRAM_API = 'https://api.telegram.org';

export const telegramSettings = titled(
  z.object({
    botToken: z
      .string()
      .regex(/^\d+:[\w-]+$/, 'A bot token looks like 123456:ABC-DEF…')
      .describe('Token from @BotFather (/newbot or /token).'),
    webhookSecret: z
      .string()
      // setWebhook secret_token: "1-256 characters. Only characters A-Z, a-z, 0-9, _ and - are allowed."
      .regex(/^[A-Za-z0-9_-]{16,256}$/, '16 to 256 characters of A-Z, a-z, 0-9, _ and -')
      .describe('Random secret passed to setWebhook as secret_token; Telegram echoes it in every webhook request.'),
    botUsername: z
      .string()
      .regex(/^@?\w{5,32}$/)
      .optional()
      .describe('The bot username (without @). In groups, the bot answers only when @mentioned or replied to.'),
    apiBaseUrl: z.url().default(TELEGRAM_API).describe('Change only for a local Bot API server or tests.'),
  }),
  {
    botToken: 'Bot token',
    webhookSecret: 'Webhook secret',
    botUsername: 'Bot username',
    apiBaseUrl: 'Bot API base URL',
  },
);

export type TelegramSettings = z.infer<typeof telegramSettings>;

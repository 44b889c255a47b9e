import { z } from 'zod';
import { titled } from '../../sdk/titles.ts';

export const slackSettings = titled(
  z.object({
    botToken: z
      .string()
      .regex(/^xoxb-/, 'A bot token starts with xoxb-')
      .describe('Bot User OAuth Token (OAuth & Permissions), xoxb-…; needs chat:write.'),
    signingSecret: z.string().min(1).describe('Signing Secret (Basic Information → App Credentials).'),
    apiBaseUrl: z
      .url()
      .default('https://slack.com/api')
      .describe('Web API base URL. Change only for tests or a proxy.'),
  }),
  { botToken: 'Bot token', signingSecret: 'Signing secret', apiBaseUrl: 'Web API base URL' },
);

export type SlackSettings = z.infer<typeof slackSettings>;

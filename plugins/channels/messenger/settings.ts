import { z } from 'zod';
import { titled } from '../../sdk/titles.ts';

export const messengerSettings = titled(
  z.object({
    pageAccessToken: z.string().min(1).describe('Page access token (Meta app → Messenger → Access Tokens).'),
    appSecret: z
      .string()
      .min(1)
      .describe('App secret (App settings → Basic); signs every webhook (X-Hub-Signature-256).'),
    verifyToken: z.string().min(1).describe('Any string you choose; enter the same one as the webhook "Verify token".'),
    pageId: z.string().min(1).default('me').describe('Page id to send as; "me" means the page the token belongs to.'),
    apiBaseUrl: z
      .url()
      .default('https://graph.facebook.com/v21.0')
      .describe('Graph API base URL including the version. Change only for tests or a proxy.'),
  }),
  {
    pageAccessToken: 'Page access token',
    appSecret: 'App secret',
    verifyToken: 'Verify token',
    pageId: 'Page id',
    apiBaseUrl: 'Graph API base URL',
  },
);

export type MessengerSettings = z.infer<typeof messengerSettings>;

import { z } from 'zod';
import { titled } from '../../sdk/titles.ts';

/** Graph API host (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages). */
export const GRAPH_API = 'https://graph.facebook.com';

export const whatsappSettings = titled(
  z.object({
    phoneNumberId: z
      .string()
      .regex(/^\d+$/)
      .describe('Phone number ID from WhatsApp → API Setup in the Meta app dashboard (not the phone number itself).'),
    accessToken: z
      .string()
      .min(1)
      .describe('System-user access token with the whatsapp_business_messaging permission.'),
    appSecret: z
      .string()
      .min(1)
      .describe('App secret (App settings → Basic); signs every webhook (X-Hub-Signature-256).'),
    verifyToken: z
      .string()
      .min(8)
      .describe('Any random string; enter the same value as "Verify token" when configuring the webhook.'),
    apiVersion: z
      .string()
      .regex(/^v\d+\.\d+$/)
      .default('v23.0')
      .describe('Graph API version, e.g. v23.0.'),
    apiBaseUrl: z.url().default(GRAPH_API).describe('Change only for tests or a proxy.'),
  }),
  {
    phoneNumberId: 'Phone number id',
    accessToken: 'Access token',
    appSecret: 'App secret',
    verifyToken: 'Verify token',
    apiVersion: 'Graph API version',
    apiBaseUrl: 'Graph API base URL',
  },
);

export type WhatsAppSettings = z.infer<typeof whatsappSettings>;

import { z } from 'zod';
import { titled } from '../../sdk/titles.ts';

export const twilioSettings = titled(
  z.object({
    accountSid: z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'An Account SID starts with AC')
      .describe('Account SID (Console → Account Info).'),
    authToken: z.string().min(1).describe('Auth Token: signs webhooks (X-Twilio-Signature) and authenticates sends.'),
    smsFrom: z.string().optional().describe('Your Twilio number in E.164 (+14155550100), used to answer SMS.'),
    whatsappFrom: z.string().optional().describe('Your WhatsApp sender, e.g. whatsapp:+14155550100.'),
    messagingServiceSid: z
      .string()
      .regex(/^MG/)
      .optional()
      .describe('Messaging Service SID (MG…); used instead of a From number when set.'),
    apiBaseUrl: z
      .url()
      .default('https://api.twilio.com')
      .describe('REST API base URL. Change only for tests or a proxy.'),
  }),
  {
    accountSid: 'Account SID',
    authToken: 'Auth token',
    smsFrom: 'SMS number',
    whatsappFrom: 'WhatsApp sender',
    messagingServiceSid: 'Messaging service SID',
    apiBaseUrl: 'API base URL',
  },
);

export type TwilioSettings = z.infer<typeof twilioSettings>;

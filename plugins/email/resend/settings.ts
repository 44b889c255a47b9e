import { z } from 'zod';
import { fromAddressSetting, titled } from '../../sdk/index.ts';

/** Resend's API root (resend.com/docs/api-reference/introduction); tests point `baseUrl` at the fake. */
export const RESEND_API_URL = 'https://api.resend.com';

export const resendSettings = titled(
  z.object({
    apiKey: z
      .string()
      .trim()
      .min(1)
      .describe('Resend API key (re_…) with sending access, from resend.com/api-keys. Sent as a Bearer token.'),
    from: fromAddressSetting,
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .default(RESEND_API_URL)
      .describe('API root. Change it only for a proxy in front of Resend, or a fake server in development.'),
  }),
  { apiKey: 'API key', from: 'From address', baseUrl: 'API base URL' },
);

export type ResendSettings = z.infer<typeof resendSettings>;

import { z } from 'zod';
import { fromAddressSetting, titled } from '../../sdk/index.ts';

export const cloudflareEmailSettings = titled(
  z.object({
    from: fromAddressSetting.describe(
      'Sender address on a domain with Email Routing enabled, e.g. Support <support@example.com>.',
    ),
  }),
  { from: 'From address' },
);

export type CloudflareEmailSettings = z.infer<typeof cloudflareEmailSettings>;

import { z } from 'zod';
import { titled } from '../../sdk/titles.ts';

export const offlineSettings = titled(
  z.object({
    delayMs: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(15)
      .describe('Pause between streamed tokens, in milliseconds, so the demo streams visibly. 0 in tests.'),
  }),
  { delayMs: 'Delay between words (ms)' },
);

export type OfflineSettings = z.infer<typeof offlineSettings>;

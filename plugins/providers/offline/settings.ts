import { z } from 'zod';

export const offlineSettings = z.object({
  delayMs: z
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(15)
    .describe('Pause between streamed tokens, in milliseconds, so the demo streams visibly. 0 in tests.'),
});

export type OfflineSettings = z.infer<typeof offlineSettings>;

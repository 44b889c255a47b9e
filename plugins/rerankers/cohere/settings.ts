import { z } from 'zod';
import { titled } from '../../sdk/index.ts';

export const COHERE_BASE_URL = 'https://api.cohere.com';

export const cohereRerankSettings = titled(
  z.object({
    apiKey: z.string().trim().min(1).describe('API key from dashboard.cohere.com/api-keys'),
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .default(COHERE_BASE_URL)
      .describe('API base URL, without /v2 (a proxy or a private deployment speaking the same API)'),
  }),
  { apiKey: 'API key', baseUrl: 'API base URL' },
);

export type CohereRerankSettings = z.infer<typeof cohereRerankSettings>;

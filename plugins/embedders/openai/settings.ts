import { z } from 'zod';
import { titled } from '../../sdk/index.ts';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export const openaiEmbedderSettings = titled(
  z.object({
    apiKey: z
      .string()
      .trim()
      .min(1)
      .describe(
        'API key: an OpenAI key (platform.openai.com/api-keys), or a Cloudflare API token for Workers AI’s compatible URL.',
      ),
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .default(OPENAI_BASE_URL)
      .describe(
        'API base URL ending in /v1. For Workers AI: https://api.cloudflare.com/client/v4/accounts/<account id>/ai/v1.',
      ),
  }),
  { apiKey: 'API key', baseUrl: 'API base URL' },
);

export type OpenAIEmbedderSettings = z.infer<typeof openaiEmbedderSettings>;

import { z } from 'zod';
import { titled } from '../../sdk/titles.ts';

/** The public Claude API. The SDK appends `/v1/messages` and `/v1/models` to it. */
export const ANTHROPIC_API_URL = 'https://api.anthropic.com';

export const anthropicSettings = titled(
  z.object({
    apiKey: z
      .string()
      .trim()
      .min(1)
      .describe('Claude API key from platform.claude.com → Settings → API keys (starts with sk-ant-).'),
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .default(ANTHROPIC_API_URL)
      .describe('API host without /v1. Change only for a gateway or proxy that speaks the Claude Messages API.'),
    // The SDK's own default is 2; 5 keeps a turn under a minute even with its 8 s backoff cap.
    maxRetries: z
      .number()
      .int()
      .min(0)
      .max(5)
      .default(2)
      .describe('Retries for 408/409/429/5xx and connection errors, with backoff honouring Retry-After.'),
  }),
  { apiKey: 'API key', baseUrl: 'API base URL', maxRetries: 'Retries' },
);

export type AnthropicSettings = z.infer<typeof anthropicSettings>;

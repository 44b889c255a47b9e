import { z } from 'zod';
import { titled } from '../../sdk/titles.ts';

/** The Gemini Developer API (Google AI Studio keys); the SDK adds the API version (`/v1beta`) to it. */
export const GEMINI_API_URL = 'https://generativelanguage.googleapis.com';

export const geminiSettings = titled(
  z.object({
    apiKey: z
      .string()
      .trim()
      .min(1)
      .describe('Gemini API key from Google AI Studio (https://aistudio.google.com/apikey). Sent as x-goog-api-key.'),
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .default(GEMINI_API_URL)
      .describe('API root without the version, e.g. a proxy or gateway in front of the Gemini API.'),
    maxRetries: z
      .number()
      .int()
      .min(0)
      .max(5)
      .default(2)
      .describe(
        'Retries after a 408, 429 or 5xx answer, waiting as the API asks (Retry-After, RetryInfo) or backing off.',
      ),
  }),
  { apiKey: 'API key', baseUrl: 'API base URL', maxRetries: 'Retries' },
);

export type GeminiSettings = z.infer<typeof geminiSettings>;

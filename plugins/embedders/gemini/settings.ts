import { z } from 'zod';
import { titled } from '../../sdk/index.ts';

/** The Gemini Developer API root; the SDK adds the version (`/v1beta`). */
export const GEMINI_API_URL = 'https://generativelanguage.googleapis.com';

export const geminiEmbedderSettings = titled(
  z.object({
    apiKey: z
      .string()
      .trim()
      .min(1)
      .describe('Gemini API key from Google AI Studio (aistudio.google.com/apikey). Sent as x-goog-api-key.'),
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .default(GEMINI_API_URL)
      .describe('API root without the version, e.g. a gateway in front of the Gemini API.'),
  }),
  { apiKey: 'API key', baseUrl: 'API base URL' },
);

export type GeminiEmbedderSettings = z.infer<typeof geminiEmbedderSettings>;

import { z } from 'zod';
import { titled } from '../../sdk/titles.ts';

/** The official endpoint; anything else is an OpenAI-compatible server (Azure, Groq, Ollama, vLLM, …). */
export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** True when `baseUrl` points at OpenAI itself rather than a compatible server. */
export function isOpenAIHost(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}

export const openaiSettings = titled(
  z.object({
    apiKey: z
      .string()
      .trim()
      .default('')
      .describe('API key (platform.openai.com/api-keys). May stay empty for local servers such as Ollama.'),
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .default(OPENAI_BASE_URL)
      .describe('API base URL, ending in /v1 for most servers. Change it for any OpenAI-compatible server.'),
    organization: z
      .string()
      .trim()
      .optional()
      .describe('OpenAI organization id (org-…), for keys that belong to several organizations.'),
    // The SDK's own default is 2 retries; more than 5 keeps a user waiting for minutes on a failing API.
    maxRetries: z
      .number()
      .int()
      .min(0)
      .max(5)
      .default(2)
      .describe('Retries on 408, 409, 429 and 5xx, with backoff honouring Retry-After.'),
    // Optional rather than defaulted so saved settings stay as the admin wrote them; transcribe.ts applies the default.
    transcriptionModel: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe(
        "Speech-to-text model for voice messages (default gpt-4o-mini-transcribe; whisper-1 or a compatible server's model).",
      ),
  }),
  {
    apiKey: 'API key',
    baseUrl: 'API base URL',
    organization: 'Organization id',
    maxRetries: 'Retries',
    transcriptionModel: 'Transcription model',
  },
).superRefine((settings, issues) => {
  // api.openai.com answers 401 to every request without a key, so an empty key there is always a mistake.
  if (settings.apiKey === '' && isOpenAIHost(settings.baseUrl)) {
    issues.addIssue({ code: 'custom', path: ['apiKey'], message: 'An API key is required for api.openai.com' });
  }
});

export type OpenAISettings = z.infer<typeof openaiSettings>;

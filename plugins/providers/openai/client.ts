import OpenAI from 'openai';
import type { PluginContext } from '../../sdk/index.ts';
import type { OpenAISettings } from './settings.ts';

// The SDK refuses to build a client without a credential, but local servers (Ollama, llama.cpp) need none:
// give it this placeholder and strip the Authorization header it would produce.
const NO_KEY = 'no-key';

/**
 * A fresh SDK client for one call. Built per call, never at module scope: settings differ per chatbot and
 * module-scope work counts against the Workers startup budget. Every option the SDK would otherwise read from
 * `process.env` (base URL, organization, project) is given explicitly, so the environment never leaks in.
 */
export function createClient(ctx: PluginContext<OpenAISettings>): OpenAI {
  const { apiKey, baseUrl, organization, maxRetries } = ctx.settings;
  return new OpenAI({
    apiKey: apiKey === '' ? NO_KEY : apiKey,
    baseURL: baseUrl,
    organization: organization || null,
    project: null,
    maxRetries,
    // The SDK calls it unbound (`fetch.call(undefined, …)`), which is what workerd's fetch requires.
    fetch: ctx.fetch,
    defaultHeaders: apiKey === '' ? { Authorization: null } : undefined,
    // The plugin turns failures into readable errors itself; the SDK's console warnings would only add noise.
    logLevel: 'off',
  });
}

import type OpenAI from 'openai';
import type { PluginContext } from '../../sdk/index.ts';
import { openaiSdk } from './sdk.ts';

/** What a client needs: OpenAI's settings, or a preset's (presets/define.ts) mapped onto them. */
export interface ClientSettings {
  apiKey: string;
  baseUrl: string;
  organization?: string | undefined;
  maxRetries: number;
  /** Set for Azure OpenAI: the `api-version` query every request carries; `baseUrl` is then the resource endpoint. */
  azureApiVersion?: string | undefined;
}

// The SDK refuses to build a client without a credential, but local servers (Ollama, llama.cpp) need none:
// give it this placeholder and strip the Authorization header it would produce.
const NO_KEY = 'no-key';

/**
 * A fresh SDK client for one call. Built per call, never at module scope: settings differ per chatbot and
 * module-scope work counts against the Workers startup budget. Every option the SDK would otherwise read from
 * `process.env` (base URL, organization, project) is given explicitly, so the environment never leaks in.
 */
export async function createClient(ctx: PluginContext<ClientSettings>): Promise<OpenAI> {
  const { default: OpenAI, AzureOpenAI } = await openaiSdk();
  const { apiKey, baseUrl, organization, maxRetries, azureApiVersion } = ctx.settings;
  if (azureApiVersion !== undefined) {
    // The SDK's Azure client sends the key as `api-key` and routes by deployment: the request's model becomes
    // `/openai/deployments/<model>/chat/completions?api-version=…` (learn.microsoft.com/azure/ai-services/openai/reference).
    return new AzureOpenAI({
      apiKey,
      baseURL: `${baseUrl.replace(/\/+$/, '')}/openai`,
      apiVersion: azureApiVersion,
      organization: null,
      project: null,
      maxRetries,
      fetch: ctx.fetch,
      logLevel: 'off',
    });
  }
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

/**
 * The OpenAI-compatible base: turns a preset (a few declarative lines: base URL, authentication, models, parameter
 * map, Azure's api-version) into a provider plugin that runs this folder's Chat Completions code through the
 * official `openai` SDK pointed at the preset's server. Modelled on Portkey's `providers/open-ai-base/`, where a
 * provider such as `groq/index.ts` is its API config plus the parameters it leaves out.
 */
import { z } from 'zod';
import type { ModelInfo, PluginContext, ProviderPlugin } from '../../../sdk/index.ts';
import { definePlugin } from '../../../sdk/index.ts';
import { titled } from '../../../sdk/titles.ts';
import { modelFacts } from '../catalog.ts';
import { openaiChat } from '../chat.ts';
import type { ClientSettings } from '../client.ts';
import { openaiModels } from '../models.ts';
import { openaiParameters } from '../parameters.ts';

/** Parley's parameter names (parameters.ts), which a preset may leave out. */
export type ParameterName =
  | 'temperature'
  | 'topP'
  | 'frequencyPenalty'
  | 'presencePenalty'
  | 'stop'
  | 'seed'
  | 'maxTokens'
  | 'reasoningEffort';

export interface OpenAICompatiblePreset {
  id: string;
  displayName: string;
  description: string;
  /** The server's API base URL, the counterpart of `https://api.openai.com/v1`. For Azure: an example endpoint. */
  baseUrl: string;
  /**
   * `bearer`: `Authorization: Bearer <key>`, key required. `none`: a local server, no key unless it was started
   * with one. `azure`: the key in an `api-key` header, requests routed by deployment with `api-version`.
   */
  auth: 'bearer' | 'none' | 'azure';
  /** Where an admin gets a key, shown in the key's description. */
  keyHelp?: string;
  /** Models offered: a fixed list, or `listed` to ask the server's `GET /models` (local servers serve what is pulled). */
  models: readonly string[] | 'listed';
  defaultModel: string;
  /** The parameter map: Parley parameters the server refuses, and body fields it names differently. */
  parameters?: { unsupported?: readonly ParameterName[]; rename?: Readonly<Record<string, string>> };
  /** Whether the preset's models take images (default false). */
  vision?: boolean;
  /**
   * Whether the server takes `response_format: { type: 'json_schema' }` (default true). False for servers that only
   * have JSON mode without a schema (DeepSeek): a structured-output request is then sent as plain chat.
   */
  structuredOutput?: boolean;
  /** Whether the API takes `tools` (default true; Perplexity's does not). */
  tools?: boolean;
  /** Azure only: the default `api-version` (learn.microsoft.com/azure/ai-services/openai/api-version-lifecycle). */
  apiVersion?: string;
}

// The SDK's own default is 2 retries; more than 5 keeps a user waiting for minutes on a failing API.
const maxRetries = z
  .number()
  .int()
  .min(0)
  .max(5)
  .default(2)
  .describe('Retries on 408, 409, 429 and 5xx, with backoff honouring Retry-After.');

function presetSettings(preset: OpenAICompatiblePreset) {
  const help = preset.keyHelp ? ` (${preset.keyHelp})` : '';
  const key = z.string().trim();
  return titled(
    z.object({
      apiKey:
        preset.auth === 'none'
          ? key.default('').describe('API key, only if the server was started with one (--api-key).')
          : key.min(1, 'An API key is required').describe(`API key${help}.`),
      baseUrl:
        preset.auth === 'azure'
          ? z.url({ protocol: /^https?$/ }).describe(`Resource endpoint, e.g. ${preset.baseUrl}.`)
          : z
              .url({ protocol: /^https?$/ })
              .default(preset.baseUrl)
              .describe('API base URL (change it for a proxy).'),
      // Azure names a model by the deployment an admin created for it; other servers take any model id.
      deployments: z
        .string()
        .trim()
        .min(1)
        .default(preset.defaultModel)
        .describe('Azure deployment names, comma-separated; each is offered as a model.'),
      apiVersion: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'An api-version looks like 2024-10-21')
        .default(preset.apiVersion ?? '')
        .describe('Azure OpenAI api-version sent with every request.'),
      maxRetries,
    }),
    {
      apiKey: 'API key',
      baseUrl: preset.auth === 'azure' ? 'Resource endpoint' : 'API base URL',
      deployments: 'Deployments',
      apiVersion: 'API version',
      maxRetries: 'Retries',
    },
  );
}

/** Azure's settings keep `deployments` and `apiVersion`; every other preset drops them. */
function settingsFor(preset: OpenAICompatiblePreset) {
  const all = presetSettings(preset);
  return preset.auth === 'azure' ? all : all.omit({ deployments: true, apiVersion: true });
}

type PresetSettings = z.infer<ReturnType<typeof presetSettings>>;
type AnyPresetSettings = Omit<PresetSettings, 'deployments' | 'apiVersion'> & Partial<PresetSettings>;

/** The preset's settings as the OpenAI client takes them. */
function clientContext(ctx: PluginContext<AnyPresetSettings>, azure: boolean): PluginContext<ClientSettings> {
  const { apiKey, baseUrl, maxRetries: retries, apiVersion } = ctx.settings;
  return {
    ...ctx,
    settings: { apiKey, baseUrl, maxRetries: retries, azureApiVersion: azure ? apiVersion : undefined },
  };
}

const modelInfo = (id: string): ModelInfo => {
  const contextWindow = modelFacts(id)?.contextWindow;
  return contextWindow === undefined ? { id, displayName: id } : { id, displayName: id, contextWindow };
};

export function defineOpenAICompatible(preset: OpenAICompatiblePreset): ProviderPlugin {
  const azure = preset.auth === 'azure';
  const unsupported = new Set<string>(preset.parameters?.unsupported ?? []);
  const dialect = { provider: preset.id, rename: preset.parameters?.rename ?? {} };
  const settings = settingsFor(preset) as z.ZodObject;
  return definePlugin({
    id: preset.id,
    kind: 'provider',
    displayName: preset.displayName,
    description: preset.description,
    version: '1.0.0',
    settings,
    secrets: ['apiKey'],
    capabilities: {
      chat: true,
      tools: preset.tools ?? true,
      vision: preset.vision ?? false,
      embeddings: false,
      speechToText: false,
      textToSpeech: false,
      offline: false,
      structuredOutput: preset.structuredOutput ?? true,
    },
    defaultModel: preset.defaultModel,
    async models(ctx) {
      const presetCtx = ctx as PluginContext<AnyPresetSettings>;
      if (azure) return deploymentNames(presetCtx.settings.deployments ?? '').map(modelInfo);
      if (preset.models === 'listed') return openaiModels(clientContext(presetCtx, false));
      return preset.models.map(modelInfo);
    },
    // Still strict: a parameter the server refuses is an unknown key here, named in the 400 the core answers.
    parameters: (model) =>
      z.strictObject(
        Object.fromEntries(Object.entries(openaiParameters(model).shape).filter(([key]) => !unsupported.has(key))),
      ),
    chat: (ctx, request) => {
      const { responseFormat, ...plain } = request;
      const sent = preset.structuredOutput === false || !responseFormat ? plain : { ...plain, responseFormat };
      return openaiChat(clientContext(ctx as PluginContext<AnyPresetSettings>, azure), sent, dialect);
    },
  });
}

function deploymentNames(list: string): string[] {
  return [
    ...new Set(
      list
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== ''),
    ),
  ];
}

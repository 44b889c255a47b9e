/**
 * The fake as each OpenAI-compatible server the presets target: the same Chat Completions wire format, mounted at
 * `/compat/<host>/…`, with that server's authentication, its own model ids (which echo like a chat model) and the
 * request fields it differs on. Written from each vendor's API reference, independently of the presets, so a
 * preset that sends the wrong header, path or field name fails against it.
 *
 *   <fake>/compat/<host>/v1/chat/completions, /v1/models                       (every host but Azure)
 *   <fake>/compat/azure/openai/deployments/<deployment>/chat/completions?api-version=<version>
 */
import type { IncomingMessage } from 'node:http';
import type { ApiError } from './wire.ts';
import { apiError, errors } from './wire.ts';

export interface CompatibleHost {
  /** `bearer`: `Authorization: Bearer test-key`; `api-key`: Azure's `api-key: test-key`; `none`: local servers. */
  auth: 'bearer' | 'api-key' | 'none';
  /** Model ids the host serves (for Azure: deployment names). */
  models: readonly string[];
  /** Fields this host takes in place of OpenAI's, as `{ openaiName: hostName }`: sending OpenAI's is an error. */
  renamed?: Readonly<Record<string, string>>;
  /** OpenAI fields this host rejects. */
  refused?: readonly string[];
}

const KEY = 'test-key';

export const HOSTS: Readonly<Record<string, CompatibleHost>> = {
  // console.groq.com/docs/models
  groq: { auth: 'bearer', models: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant'] },
  // api-docs.deepseek.com: no `seed`
  deepseek: { auth: 'bearer', models: ['deepseek-chat', 'deepseek-reasoner'], refused: ['seed'] },
  // docs.mistral.ai/api: the seed is `random_seed`; unknown fields are a 422
  mistral: {
    auth: 'bearer',
    models: ['mistral-large-latest', 'mistral-small-latest'],
    renamed: { seed: 'random_seed' },
  },
  // openrouter.ai/docs: vendor-prefixed ids
  openrouter: { auth: 'bearer', models: ['openai/gpt-4o-mini', 'meta-llama/llama-3.3-70b-instruct'] },
  // docs.together.ai
  together: { auth: 'bearer', models: ['meta-llama/Llama-3.3-70B-Instruct-Turbo'] },
  // docs.perplexity.ai: no `seed`, no `stop`
  perplexity: { auth: 'bearer', models: ['sonar', 'sonar-pro'], refused: ['seed', 'stop'] },
  // learn.microsoft.com/azure/ai-services/openai/reference
  azure: { auth: 'api-key', models: ['gpt-4o-mini'] },
  // Local servers run without a key by default.
  ollama: { auth: 'none', models: ['llama3.2', 'qwen2.5:7b'] },
  vllm: { auth: 'none', models: ['Qwen/Qwen2.5-7B-Instruct'] },
  llamacpp: { auth: 'none', models: ['local-model'] },
};

export interface CompatibleRoute {
  host: CompatibleHost;
  /** The path as the OpenAI handler knows it: `/v1/chat/completions` or `/v1/models`. */
  path: string;
  /** Azure: the deployment named in the path, which is the model. */
  deployment?: string;
}

/** Maps a `/compat/<host>/…` request onto the OpenAI routes, or answers the error that host would. */
export function compatibleRoute(req: IncomingMessage, url: URL): CompatibleRoute | ApiError | undefined {
  const match = /^\/compat\/([a-z]+)(\/.*)$/.exec(url.pathname);
  if (!match) return undefined;
  const [, name = '', rest = ''] = match;
  const host = HOSTS[name];
  if (!host) return errors.invalidUrl(req.method ?? 'GET', url.pathname);
  const auth = authenticate(req, host);
  if (auth) return auth;
  if (host.auth !== 'api-key') return { host, path: rest };
  const azure = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(rest);
  // Azure answers 404 "Resource not found" to a path or api-version it does not know.
  if (!azure || !/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(url.searchParams.get('api-version') ?? '')) {
    return apiError(404, 'Resource not found', { code: '404' });
  }
  const deployment = decodeURIComponent(azure[1] ?? '');
  if (!host.models.includes(deployment)) {
    return apiError(404, 'The API deployment for this resource does not exist.', { code: 'DeploymentNotFound' });
  }
  return { host, path: '/v1/chat/completions', deployment };
}

function authenticate(req: IncomingMessage, host: CompatibleHost): ApiError | undefined {
  if (host.auth === 'none') {
    // A local server started without --api-key ignores the header; one that got a placeholder must not break.
    return undefined;
  }
  if (host.auth === 'api-key') {
    if (req.headers.authorization) return apiError(401, 'Azure takes the key in the api-key header.');
    return req.headers['api-key'] === KEY ? undefined : apiError(401, 'Access denied due to invalid subscription key.');
  }
  const header = req.headers.authorization;
  if (!header) return errors.missingKey();
  const key = header.replace(/^Bearer\s+/i, '');
  return key === KEY ? undefined : errors.wrongKey(key);
}

/** The body with this host's field names turned back into OpenAI's, or the error the host answers. */
export function toOpenAIBody(
  body: Record<string, unknown>,
  route: CompatibleRoute,
): { body: Record<string, unknown> } | { error: ApiError } {
  const { host } = route;
  const unchanged = { ...body };
  for (const field of host.refused ?? []) if (field in unchanged) return { error: errors.unrecognized(field) };
  for (const [openai, own] of Object.entries(host.renamed ?? {})) {
    if (openai in unchanged) return { error: errors.unrecognized(openai) };
    if (own in unchanged) {
      unchanged[openai] = unchanged[own];
      delete unchanged[own];
    }
  }
  // Azure routes by deployment; a body `model` is optional there and the deployment wins.
  if (route.deployment !== undefined) unchanged.model = route.deployment;
  return { body: unchanged };
}

/** The `/v1/models` body of a compatible host. */
export function compatibleModels(host: CompatibleHost): Record<string, unknown> {
  return {
    object: 'list',
    data: host.models.map((id) => ({ id, object: 'model', created: 1_720_000_000, owned_by: 'compatible' })),
  };
}

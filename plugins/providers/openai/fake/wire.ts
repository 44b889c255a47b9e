/**
 * The bytes the OpenAI API puts on the wire, for the fake server: error bodies, stream chunks and SSE frames.
 * Shapes from platform.openai.com/docs/api-reference (chat/streaming, errors) and captured real responses.
 */

export interface ApiError {
  status: number;
  body: { error: { message: string; type: string; param: string | null; code: string | null } };
  headers?: Record<string, string>;
}

export function apiError(
  status: number,
  message: string,
  options: { type?: string; param?: string | null; code?: string | null; headers?: Record<string, string> } = {},
): ApiError {
  const { type = 'invalid_request_error', param = null, code = null, headers } = options;
  return { status, body: { error: { message, type, param, code } }, ...(headers ? { headers } : {}) };
}

export const errors = {
  missingKey: () =>
    apiError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer " +
        "auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're " +
        'accessing the API from your browser and are prompted for a username. You can obtain an API key from ' +
        'https://platform.openai.com/account/api-keys.',
    ),
  // The real API quotes the key back, masking all but the first 8 and last 4 characters of a long one.
  wrongKey: (key: string) =>
    apiError(
      401,
      `Incorrect API key provided: ${mask(key)}. ` +
        'You can find your API key at https://platform.openai.com/account/api-keys.',
      { code: 'invalid_api_key' },
    ),
  wrongOrganization: () =>
    apiError(401, 'OpenAI-Organization header should match organization for API key', {
      code: 'mismatched_organization',
    }),
  invalidJson: () =>
    apiError(
      400,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP " +
        'library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have ' +
        'trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)',
    ),
  missingModel: () => apiError(400, 'you must provide a model parameter'),
  missing: (param: string) =>
    apiError(400, `Missing required parameter: '${param}'.`, { param, code: 'missing_required_parameter' }),
  unrecognized: (param: string) => apiError(400, `Unrecognized request argument supplied: ${param}`),
  invalid: (param: string, message: string, code = 'invalid_value') =>
    apiError(400, `Invalid '${param}': ${message}`, { param, code }),
  /** `Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead.` and kin. */
  outOfRange: (param: string, kind: 'decimal' | 'integer', side: 'max' | 'min', limit: number, value: number) =>
    apiError(
      400,
      `Invalid '${param}': ${kind} ${side === 'max' ? 'above maximum' : 'below minimum'} value. ` +
        `Expected a value ${side === 'max' ? '<=' : '>='} ${limit}, but got ${value} instead.`,
      { param, code: `${kind}_${side === 'max' ? 'above_max' : 'below_min'}_value` },
    ),
  unsupported: (param: string, extra = '') =>
    apiError(400, `Unsupported parameter: '${param}' is not supported with this model.${extra}`, {
      param,
      code: 'unsupported_parameter',
    }),
  unsupportedValue: (param: string, value: unknown) =>
    apiError(
      400,
      `Unsupported value: '${param}' does not support ${String(value)} with this model. ` +
        'Only the default (1) value is supported.',
      { param, code: 'unsupported_value' },
    ),
  modelNotFound: (model: string) =>
    apiError(404, `The model \`${model}\` does not exist or you do not have access to it.`, {
      code: 'model_not_found',
    }),
  notChatModel: () =>
    apiError(
      404,
      'This is not a chat model and thus not supported in the v1/chat/completions endpoint. ' +
        'Did you mean to use v1/completions?',
      { param: 'model' },
    ),
  contextLength: (tokens: number) =>
    apiError(
      400,
      `This model's maximum context length is 128000 tokens. However, your messages resulted in ${tokens} tokens. ` +
        'Please reduce the length of the messages.',
      { param: 'messages', code: 'context_length_exceeded' },
    ),
  rateLimited: (model: string) =>
    apiError(
      429,
      `Rate limit reached for ${model} in organization org-test on requests per min (RPM): Limit 3, Used 3, ` +
        'Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to learn more.',
      {
        type: 'requests',
        code: 'rate_limit_exceeded',
        // retry-after 0 so the SDK retries at once (it honours Retry-After up to 60 s).
        headers: { 'retry-after': '0', 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0' },
      },
    ),
  server: () =>
    apiError(500, 'The server had an error while processing your request. Sorry about that!', { type: 'server_error' }),
  invalidUrl: (method: string, path: string) => apiError(404, `Invalid URL (${method} ${path})`),
};

/** A key as the API quotes it in a 401: a long key keeps its first 8 and last 4 characters, a short one shows whole. */
function mask(key: string): string {
  return key.length > 12 ? `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}` : key;
}

export interface ChunkChoice {
  delta: Record<string, unknown>;
  finish_reason: string | null;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

/** One `chat.completion.chunk`, with every field the real API sends (usage null until the last chunk). */
export function chunk(
  id: string,
  model: string,
  choice: ChunkChoice | null,
  usage: Usage | null,
  includeUsage: boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    service_tier: 'default',
    system_fingerprint: 'fp_fake0001',
    choices: choice ? [{ index: 0, delta: choice.delta, logprobs: null, finish_reason: choice.finish_reason }] : [],
  };
  if (includeUsage) body.usage = usage ? fullUsage(usage) : null;
  body.obfuscation = 'x'.repeat(1 + (id.length % 7));
  return body;
}

function fullUsage({ prompt_tokens, completion_tokens }: Usage): Record<string, unknown> {
  return {
    prompt_tokens,
    completion_tokens,
    total_tokens: prompt_tokens + completion_tokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** An SSE frame as the API writes it: one `data:` line and a blank line; the stream ends with `data: [DONE]`. */
export function frame(data: Record<string, unknown> | '[DONE]'): string {
  return `data: ${data === '[DONE]' ? data : JSON.stringify(data)}\n\n`;
}

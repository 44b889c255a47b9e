/**
 * A fake of OpenAI's embeddings API (platform.openai.com/docs/api-reference/embeddings) on loopback, so the official
 * SDK runs unchanged against it: `POST /v1/embeddings` with `Authorization: Bearer test-key`, `model`, `input` (a
 * string or up to 2,048 strings), optional `dimensions` (text-embedding-3 only, at most the native size) and
 * `encoding_format` `float` or `base64` (little-endian float32, what the SDK asks for by default and decodes).
 * Answers `{object: 'list', data: [{object: 'embedding', index, embedding}], model, usage}` with deterministic
 * vectors (sdk/testing/vectors.ts), or OpenAI's error JSON `{error: {message, type, param, code}}`:
 *
 * - an input containing `fake-429` → 429 `rate_limit_exceeded` with `retry-after: 2`; `fake-500` → 500;
 * - a wrong key → 401 `invalid_api_key`; an unknown model → 404 `model_not_found`; a bad input → 400.
 *
 * `GET …/__requests` lists the requests it answered (model, dimensions, encoding, input count), oldest first.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { listen, type RunningFake } from '../../../sdk/fake/listen.ts';
import { readRaw } from '../../../sdk/fake/request-log.ts';
import { fakeTokens, fakeVector } from '../../../sdk/testing/vectors.ts';

export const name = 'openai-embeddings';

const API_KEY = 'test-key';
/** Native sizes (platform.openai.com/docs/guides/embeddings); `shortenable` ones take `dimensions`. */
const MODELS: Record<string, { dimensions: number; shortenable: boolean }> = {
  'text-embedding-3-small': { dimensions: 1536, shortenable: true },
  'text-embedding-3-large': { dimensions: 3072, shortenable: true },
  'text-embedding-ada-002': { dimensions: 1536, shortenable: false },
  '@cf/baai/bge-m3': { dimensions: 1024, shortenable: false },
};
const MAX_INPUTS = 2048;

export interface EmbeddingsRequestRecord {
  model: string;
  dimensions?: number;
  encodingFormat: string;
  inputs: number;
  first: string;
}

interface ApiError {
  status: number;
  message: string;
  type: string;
  code: string | null;
  param?: string;
  headers?: Record<string, string>;
}

export async function start(): Promise<RunningFake> {
  const log: EmbeddingsRequestRecord[] = [];
  const server = createServer((req, res) => {
    handle(req, res, log).catch(() => {
      if (!res.headersSent) sendError(res, { status: 500, message: 'fake failed', type: 'server_error', code: null });
    });
  });
  return listen(server, '/v1');
}

async function handle(req: IncomingMessage, res: ServerResponse, log: EmbeddingsRequestRecord[]): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  if (req.method === 'GET' && url.pathname.endsWith('/__requests')) {
    const contains = url.searchParams.get('contains');
    const matching = contains === null ? log : log.filter((entry) => JSON.stringify(entry).includes(contains));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(matching));
    return;
  }
  const raw = (await readRaw(req)).toString('utf8');
  if (req.headers.authorization !== `Bearer ${API_KEY}`) {
    return sendError(res, {
      status: 401,
      message:
        'Incorrect API key provided: sk-wr***key. You can find your API key at https://platform.openai.com/account/api-keys.',
      type: 'invalid_request_error',
      code: 'invalid_api_key',
    });
  }
  if (req.method !== 'POST' || url.pathname !== '/v1/embeddings') {
    return sendError(res, {
      status: 404,
      message: `Invalid URL (${req.method} ${url.pathname})`,
      type: 'invalid_request_error',
      code: null,
    });
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return sendError(res, {
      status: 400,
      message: 'We could not parse the JSON body of your request.',
      type: 'invalid_request_error',
      code: null,
    });
  }
  const model = typeof body.model === 'string' ? body.model : '';
  const spec = MODELS[model];
  if (!spec) {
    return sendError(res, {
      status: 404,
      message: `The model \`${model}\` does not exist or you do not have access to it.`,
      type: 'invalid_request_error',
      code: 'model_not_found',
    });
  }
  const inputs = typeof body.input === 'string' ? [body.input] : body.input;
  if (
    !Array.isArray(inputs) ||
    inputs.length === 0 ||
    inputs.length > MAX_INPUTS ||
    inputs.some((i) => typeof i !== 'string' || i === '')
  ) {
    return sendError(res, {
      status: 400,
      message: `'input' must be a non-empty string or an array of 1 to ${MAX_INPUTS} non-empty strings.`,
      type: 'invalid_request_error',
      code: null,
      param: 'input',
    });
  }
  const texts = inputs as string[];
  let dimensions = spec.dimensions;
  if (body.dimensions !== undefined) {
    const asked = body.dimensions;
    if (
      !spec.shortenable ||
      typeof asked !== 'number' ||
      !Number.isInteger(asked) ||
      asked < 1 ||
      asked > spec.dimensions
    ) {
      return sendError(res, {
        status: 400,
        message: spec.shortenable
          ? `'dimensions' must be between 1 and ${spec.dimensions}.`
          : 'This model does not support specifying dimensions.',
        type: 'invalid_request_error',
        code: null,
        param: 'dimensions',
      });
    }
    dimensions = asked;
  }
  const encoding = body.encoding_format ?? 'float';
  if (encoding !== 'float' && encoding !== 'base64') {
    return sendError(res, {
      status: 400,
      message: "'encoding_format' must be 'float' or 'base64'.",
      type: 'invalid_request_error',
      code: null,
      param: 'encoding_format',
    });
  }
  log.push({
    model,
    encodingFormat: encoding,
    inputs: texts.length,
    first: texts[0] ?? '',
    ...(body.dimensions !== undefined && { dimensions }),
  });
  if (texts.some((text) => text.includes('fake-429'))) {
    return sendError(res, {
      status: 429,
      message: 'Rate limit reached for text-embedding-3-small on requests per min (RPM): Limit 3000, Used 3000.',
      type: 'requests',
      code: 'rate_limit_exceeded',
      headers: { 'retry-after': '2', 'x-ratelimit-remaining-requests': '0' },
    });
  }
  if (texts.some((text) => text.includes('fake-500'))) {
    return sendError(res, {
      status: 500,
      message: 'The server had an error while processing your request.',
      type: 'server_error',
      code: null,
    });
  }
  const data = texts.map((text, index) => {
    const vector = fakeVector(`${model}|${dimensions}|${text}`, dimensions);
    const embedding = encoding === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  const tokens = texts.reduce((sum, text) => sum + fakeTokens(text), 0);
  sendJson(res, 200, { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}

function sendError(res: ServerResponse, error: ApiError): void {
  const { status, headers, ...rest } = error;
  sendJson(
    res,
    status,
    { error: { message: rest.message, type: rest.type, param: rest.param ?? null, code: rest.code } },
    headers,
  );
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

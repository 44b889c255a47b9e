/**
 * A fake of the Gemini API's embeddings (ai.google.dev/api/embeddings) on loopback, speaking the wire format
 * @google/genai uses for `models.embedContent` with the Developer API: `POST /v1beta/models/{model}:batchEmbedContents`
 * with the key in `x-goog-api-key`, body `{requests: [{model: 'models/…', content: {parts: [{text}]}, taskType?,
 * outputDimensionality?}]}` (at most 100 requests), answering `{embeddings: [{values}]}`. Vectors are deterministic
 * (sdk/testing/vectors.ts) and depend on the task type, as the real model's do. Errors are `google.rpc.Status` JSON:
 *
 * - a wrong key → 400 INVALID_ARGUMENT with ErrorInfo `API_KEY_INVALID` (the real API's answer, not a 401);
 * - a text containing `fake-429` → 429 RESOURCE_EXHAUSTED with RetryInfo `retryDelay: "3s"`; `fake-500` → 500;
 * - an unknown model → 404 NOT_FOUND; more than 100 requests or a bad size → 400 INVALID_ARGUMENT.
 *
 * `GET …/__requests` lists what it answered (model, task type, size, count, first text), oldest first.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { listen, type RunningFake } from '../../../sdk/fake/listen.ts';
import { readRaw } from '../../../sdk/fake/request-log.ts';
import { fakeVector } from '../../../sdk/testing/vectors.ts';

export const name = 'gemini-embeddings';

const API_KEY = 'test-key';
const ROUTE = /^\/v1beta\/models\/([^/:]+):batchEmbedContents$/;
/** gemini-embedding-001: 3,072 dimensions, reducible (Matryoshka) to any size (ai.google.dev/gemini-api/docs/embeddings). */
const MODELS: Record<string, number> = { 'gemini-embedding-001': 3072 };
const MAX_REQUESTS = 100;

export interface GeminiEmbedRecord {
  model: string;
  taskType?: string;
  outputDimensionality?: number;
  count: number;
  first: string;
}

interface RpcError {
  code: number;
  status: string;
  message: string;
  details?: Record<string, unknown>[];
}

export async function start(): Promise<RunningFake> {
  const log: GeminiEmbedRecord[] = [];
  const server = createServer((req, res) => {
    handle(req, res, log).catch(() => {
      if (!res.headersSent) sendError(res, { code: 500, status: 'INTERNAL', message: 'fake failed' });
    });
  });
  return listen(server);
}

async function handle(req: IncomingMessage, res: ServerResponse, log: GeminiEmbedRecord[]): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  if (req.method === 'GET' && url.pathname.endsWith('/__requests')) {
    const contains = url.searchParams.get('contains');
    const matching = contains === null ? log : log.filter((entry) => JSON.stringify(entry).includes(contains));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(matching));
    return;
  }
  const raw = (await readRaw(req)).toString('utf8');
  const key = req.headers['x-goog-api-key'] ?? url.searchParams.get('key');
  if (key !== API_KEY) {
    return sendError(res, {
      code: 400,
      status: 'INVALID_ARGUMENT',
      message: 'API key not valid. Please pass a valid API key.',
      details: [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
      ],
    });
  }
  const route = ROUTE.exec(url.pathname);
  if (req.method !== 'POST' || !route?.[1]) {
    return sendError(res, { code: 404, status: 'NOT_FOUND', message: `Method not found: ${url.pathname}` });
  }
  const model = route[1];
  const native = MODELS[model];
  if (native === undefined) {
    return sendError(res, {
      code: 404,
      status: 'NOT_FOUND',
      message: `models/${model} is not found for API version v1beta, or is not supported for embedContent.`,
    });
  }
  let requests: Record<string, unknown>[];
  try {
    const body = JSON.parse(raw) as { requests?: unknown };
    if (!Array.isArray(body.requests)) throw new Error('no requests');
    requests = body.requests as Record<string, unknown>[];
  } catch {
    return sendError(res, { code: 400, status: 'INVALID_ARGUMENT', message: 'Invalid JSON payload received.' });
  }
  if (requests.length === 0 || requests.length > MAX_REQUESTS) {
    return sendError(res, {
      code: 400,
      status: 'INVALID_ARGUMENT',
      message: `* BatchEmbedContentsRequest.requests: at most ${MAX_REQUESTS} requests can be in one batch`,
    });
  }
  const texts: string[] = [];
  for (const request of requests) {
    const parts = (request.content as { parts?: { text?: unknown }[] } | undefined)?.parts;
    const text = parts?.map((part) => (typeof part.text === 'string' ? part.text : '')).join('') ?? '';
    if (request.model !== `models/${model}` || text === '') {
      return sendError(res, {
        code: 400,
        status: 'INVALID_ARGUMENT',
        message: '* BatchEmbedContentsRequest.requests: each request needs the batch’s model and a text part',
      });
    }
    texts.push(text);
  }
  const first = requests[0] ?? {};
  const taskType = typeof first.taskType === 'string' ? first.taskType : undefined;
  const size = typeof first.outputDimensionality === 'number' ? first.outputDimensionality : undefined;
  if (size !== undefined && (!Number.isInteger(size) || size < 1 || size > native)) {
    return sendError(res, { code: 400, status: 'INVALID_ARGUMENT', message: 'outputDimensionality is out of range.' });
  }
  log.push({
    model,
    count: texts.length,
    first: texts[0] ?? '',
    ...(taskType !== undefined && { taskType }),
    ...(size !== undefined && { outputDimensionality: size }),
  });
  if (texts.some((text) => text.includes('fake-429'))) {
    return sendError(res, {
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      message: 'You exceeded your current quota, please check your plan and billing details.',
      details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3s' }],
    });
  }
  if (texts.some((text) => text.includes('fake-500'))) {
    return sendError(res, { code: 500, status: 'INTERNAL', message: 'An internal error has occurred.' });
  }
  const dimensions = size ?? native;
  // Only the full size comes back unit-length (ai.google.dev/gemini-api/docs/embeddings, "Ensuring quality for
  // smaller dimensions"): a truncated vector keeps the leading values of the full one.
  const embeddings = texts.map((text) => ({
    values: fakeVector(`${model}|${taskType ?? ''}|${text}`, native).slice(0, dimensions),
  }));
  sendJson(res, 200, { embeddings });
}

function sendError(res: ServerResponse, error: RpcError): void {
  sendJson(res, error.code, { error });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}

/**
 * A fake of Cohere's Rerank API v2 (docs.cohere.com/reference/rerank) on loopback: `POST /v2/rerank` with
 * `Authorization: Bearer test-key` and `{ model, query, documents: string[], top_n?, max_tokens_per_doc? }` →
 * `{ id, results: [{ index, relevance_score }], meta: { billed_units: { search_units } } }`, best first, with lexical
 * scores (sdk/testing/relevance.ts) over each document cut to `max_tokens_per_doc` (≈ 4 characters a token), as the
 * service cuts rather than refuses long documents. Errors are Cohere's `{ id, message }` JSON:
 *
 * - a query containing `fake-429` → 429 with `retry-after: 3`; `fake-500` → 500; `fake-400` → 400;
 * - a wrong key → 401; an unknown model → 404; a malformed body (no documents, bad `top_n`) → 400.
 *
 * `GET /__requests?contains=…` lists the requests it answered (model, query, document lengths, top_n), oldest first.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { listen, type RunningFake } from '../../../sdk/fake/listen.ts';
import { readRaw } from '../../../sdk/fake/request-log.ts';
import { fakeRanking } from '../../../sdk/testing/relevance.ts';

export const name = 'cohere-rerank';

const API_KEY = 'test-key';
const MODELS = new Set(['rerank-v3.5', 'rerank-english-v3.0', 'rerank-multilingual-v3.0']);
/** docs.cohere.com/docs/rerank: 4,096 tokens by default. */
const DEFAULT_MAX_TOKENS_PER_DOC = 4096;
const CHARS_PER_TOKEN = 4;

export interface RerankRequestRecord {
  model: string;
  query: string;
  documentLengths: number[];
  topN?: number;
  maxTokensPerDoc?: number;
}

export async function start(): Promise<RunningFake> {
  const log: RerankRequestRecord[] = [];
  const server = createServer((req, res) => {
    handle(req, res, log).catch(() => {
      if (!res.headersSent) sendError(res, 500, 'fake failed');
    });
  });
  return listen(server);
}

async function handle(req: IncomingMessage, res: ServerResponse, log: RerankRequestRecord[]): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  if (req.method === 'GET' && url.pathname === '/__requests') {
    const contains = url.searchParams.get('contains');
    const matching = contains === null ? log : log.filter((entry) => entry.query.includes(contains));
    return sendJson(res, 200, matching);
  }
  const raw = (await readRaw(req)).toString('utf8');
  if (req.headers.authorization !== `Bearer ${API_KEY}`) return sendError(res, 401, 'invalid api token');
  if (req.method !== 'POST' || url.pathname !== '/v2/rerank') {
    return sendError(res, 404, `route ${req.method} ${url.pathname} not found`);
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return sendError(res, 400, 'invalid request: could not parse the JSON body');
  }
  const model = typeof body.model === 'string' ? body.model : '';
  if (!MODELS.has(model)) return sendError(res, 404, `model '${model}' not found, make sure the model name is correct`);
  const { query, documents, top_n: topN, max_tokens_per_doc: maxTokens } = body;
  if (typeof query !== 'string' || query.trim() === '')
    return sendError(res, 400, 'invalid request: query is required');
  if (!Array.isArray(documents) || documents.length === 0 || documents.some((d) => typeof d !== 'string')) {
    return sendError(res, 400, 'invalid request: documents must be a non-empty list of strings');
  }
  if (topN !== undefined && (typeof topN !== 'number' || !Number.isInteger(topN) || topN < 1)) {
    return sendError(res, 400, 'invalid request: top_n must be a positive integer');
  }
  if (maxTokens !== undefined && (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)) {
    return sendError(res, 400, 'invalid request: max_tokens_per_doc must be a positive integer');
  }
  const texts = documents as string[];
  log.push({
    model,
    query,
    documentLengths: texts.map((text) => text.length),
    ...(topN !== undefined && { topN }),
    ...(maxTokens !== undefined && { maxTokensPerDoc: maxTokens }),
  });
  if (query.includes('fake-429')) {
    return sendError(res, 429, 'You are using a Trial key, which is limited to 10 API calls / minute.', {
      'retry-after': '3',
    });
  }
  if (query.includes('fake-500')) return sendError(res, 500, 'internal server error, this has been reported');
  if (query.includes('fake-400')) return sendError(res, 400, 'invalid request: the query was refused');
  const limit = (maxTokens ?? DEFAULT_MAX_TOKENS_PER_DOC) * CHARS_PER_TOKEN;
  const ranked = fakeRanking(
    query,
    texts.map((text) => text.slice(0, limit)),
  ).slice(0, topN ?? texts.length);
  sendJson(res, 200, {
    id: crypto.randomUUID(),
    results: ranked.map(({ index, score }) => ({ index, relevance_score: score })),
    meta: { api_version: { version: '2' }, billed_units: { search_units: 1 } },
  });
}

function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { id: crypto.randomUUID(), message }, headers);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/**
 * A fake Claude API on loopback, speaking the documented wire format of API version 2026-10-21 (and 2023-06-01):
 * `POST /v1/messages` streaming server-sent events, `GET /v1/models` with cursor paging, and the API's error bodies.
 * Like the real API it checks the key (`x-api-key`, or `Authorization: Bearer` as SDK 1.x sends it), the
 * `anthropic-version` header and the request shape. Replies are chosen by model name: see `anthropic/scenarios.ts`.
 *
 * Per-conversation state (for `fake-429-once`, and what tests observe) is keyed by the text of the request's first
 * user message, so test files running in parallel never share it as long as their first messages differ.
 * `GET /__fake/conversations?first=<text>` reports that state: requests received and streams the client cut short.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen, type RunningFake } from '../../../sdk/fake/listen.ts';
import { listModels } from './catalog.ts';
import { type Plan, planReply } from './scenarios.ts';
import { type MessagesRequest, validateMessages } from './validate.ts';
import { type ApiError, apiError, encodeFrame, errorBody, invalidRequest, nextRequestId } from './wire.ts';

export const name = 'anthropic';

/** The only key the fake accepts. */
export const FAKE_API_KEY = 'test-key';

// The versions in platform.claude.com/docs/en/api/versioning; SDK 1.x sends 2026-10-21.
const VERSIONS = ['2023-06-01', '2026-10-21'];
// How long `fake-stall` holds a silent stream open when the client never disconnects.
const STALL_LIMIT_MS = 30_000;

interface ConversationState {
  requests: number;
  closedEarly: number;
}

export async function start(): Promise<RunningFake> {
  const conversations = new Map<string, ConversationState>();
  const server = createServer((req, res) => {
    handle(req, res, conversations).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, apiError(500, 'api_error', `fake server bug: ${String(error)}`));
      else res.destroy();
    });
  });
  return listen(server);
}

async function handle(req: IncomingMessage, res: ServerResponse, conversations: Map<string, ConversationState>) {
  const url = new URL(req.url ?? '/', 'http://fake');
  if (req.method === 'GET' && url.pathname === '/__fake/conversations') {
    const state = conversations.get(url.searchParams.get('first') ?? '') ?? { requests: 0, closedEarly: 0 };
    return sendJson(res, 200, state);
  }
  const refused = checkHeaders(req);
  if (refused) return sendError(res, refused);
  if (req.method === 'GET' && url.pathname === '/v1/models') {
    const listed = listModels(url.searchParams);
    return 'error' in listed ? sendError(res, listed.error) : sendJson(res, 200, listed.body);
  }
  if (req.method === 'POST' && url.pathname === '/v1/messages') {
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return sendError(res, invalidRequest('There was an error parsing the body of your request as JSON'));
    }
    const request = validateMessages(body, String(req.headers['anthropic-version']));
    if (isError(request)) return sendError(res, request);
    const state = conversationState(conversations, request);
    state.requests += 1;
    return sendPlan(res, planReply(request, raw, state.requests === 1), state);
  }
  return sendError(res, apiError(404, 'not_found_error', 'Not Found'));
}

/** Authentication first (401), then the version header (400), as the API orders its checks. */
function checkHeaders(req: IncomingMessage): ApiError | undefined {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const apiKey = req.headers['x-api-key'];
  const key = typeof apiKey === 'string' ? apiKey : bearer;
  if (key === undefined) return apiError(401, 'authentication_error', 'x-api-key header is required');
  if (key !== FAKE_API_KEY) {
    return apiError(
      401,
      'authentication_error',
      typeof apiKey === 'string' ? 'invalid x-api-key' : 'invalid bearer token',
    );
  }
  const version = req.headers['anthropic-version'];
  if (version === undefined) return invalidRequest('anthropic-version: header is required');
  if (typeof version !== 'string' || !VERSIONS.includes(version)) {
    return invalidRequest(`anthropic-version: ${String(version)} is not a valid version`);
  }
  return undefined;
}

function conversationState(conversations: Map<string, ConversationState>, request: MessagesRequest) {
  const firstUser = request.messages.find((message) => message.role === 'user');
  const key = firstUser?.blocks.find((block) => block.type === 'text')?.text ?? '';
  let state = conversations.get(key);
  if (!state) {
    state = { requests: 0, closedEarly: 0 };
    conversations.set(key, state);
  }
  return state;
}

async function sendPlan(res: ServerResponse, plan: Plan, state: ConversationState): Promise<void> {
  if (plan.kind === 'error') return sendError(res, plan.error);
  res.on('close', () => {
    if (!res.writableFinished) state.closedEarly += 1;
  });
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': nextRequestId(),
  });
  res.flushHeaders();
  if (plan.delayMs !== undefined) await untilClosed(res, plan.delayMs);
  for (const frame of plan.frames) {
    if (res.destroyed) return;
    res.write(encodeFrame(frame));
  }
  if (plan.stallAtEnd) await untilClosed(res, STALL_LIMIT_MS);
  if (!res.destroyed) res.end();
}

/** Waits `ms`, or less if the client goes away first. */
function untilClosed(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    res.once('close', done);
    function done() {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    }
  });
}

function sendError(res: ServerResponse, error: ApiError): void {
  const requestId = nextRequestId();
  res.writeHead(error.status, { 'content-type': 'application/json', 'request-id': requestId, ...error.headers });
  res.end(errorBody(error, requestId));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': nextRequestId() });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function isError(value: MessagesRequest | ApiError): value is ApiError {
  return 'status' in value;
}

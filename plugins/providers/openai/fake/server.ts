/**
 * A fake OpenAI API on loopback, speaking the real wire format so the official SDK runs unchanged against it:
 * `POST /v1/chat/completions` (SSE `data:` frames of `chat.completion.chunk`, then `data: [DONE]`) and
 * `GET /v1/models`, plus the audio endpoints of openai/audio.ts (transcriptions, speech), and the same API as each
 * OpenAI-compatible server a preset targets under `/compat/<host>/` (compatible.ts). It checks the key
 * (`Bearer test-key`), the organization (`org-test` when sent) and the request body like the real API, and
 * answers the real error JSON. The model name picks the behaviour:
 *
 * - any listed chat model, `fake-echo`: echoes the last user message word by word (honours max tokens); when the
 *   request holds inline images (checked in openai/content-parts.ts) it first says so: "I see 1 image (image/png).";
 * - with `response_format: { type: 'json_schema' }` (checked in structured.ts, strict rules included): answers a JSON
 *   value satisfying the schema, an enum taking the value the last user message names;
 * - `fake-system`: answers with the system (or developer) messages it was sent, so a test sees the rendered prompt;
 * - `fake-tool`: calls each offered tool (up to 2) with arguments streamed in fragments; after the tool results,
 *   answers "Tool <name> returned: <result>";
 * - `fake-script`: the last user message is a JSON array of `{ name, arguments }`, and the model calls exactly those
 *   (offered) tools with those arguments, then answers like `fake-tool` (replies.ts, `scriptedCalls`);
 * - `fake-length` / `fake-filter`: stops early with finish reason `length` / `content_filter`;
 * - `fake-429-once`: 429 with `retry-after: 0` on the first request of a conversation, then echoes;
 * - `fake-429`, `fake-500`, `fake-400`: always that error;
 * - `fake-slow`: waits 2 s before the first frame; `fake-stall`: sends the first word, then nothing for 30 s;
 * - `fake-stall-once`: stalls like `fake-stall` on the first request of a conversation, then echoes (a timed-out
 *   attempt followed by a good one);
 * - `fake-stream-error`: sends the first word, then an error frame; `fake-cut`: the first word, then hangs up.
 *
 * State (the 429-once and stall-once conversations) is keyed by a hash of the model and messages, so parallel test files with
 * their own messages never share it.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { listen, type RunningFake } from '../../../sdk/fake/listen.ts';
import { handleAudio } from './audio.ts';
import { compatibleModels, compatibleRoute, toOpenAIBody } from './compatible.ts';
import { modelsList } from './models.ts';
import { conversationKey, reply } from './replies.ts';
import type { CompletionRequest } from './validate.ts';
import { validateCompletion } from './validate.ts';
import type { ApiError } from './wire.ts';
import { errors, frame } from './wire.ts';

export const name = 'openai';

const API_KEY = 'test-key';
const ORGANIZATION = 'org-test';
const SLOW_MS = 2_000;
const STALL_MS = 30_000;

export async function start(): Promise<RunningFake> {
  const rateLimited = new Set<string>();
  const server = createServer((req, res) => {
    handle(req, res, rateLimited).catch((error: unknown) => {
      if (!res.headersSent) send(res, errors.server());
      else res.destroy(error instanceof Error ? error : undefined);
    });
  });
  return listen(server, '/v1');
}

async function handle(req: IncomingMessage, res: ServerResponse, rateLimited: Set<string>): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  // `/compat/<host>/…`: the same API as an OpenAI-compatible server would serve it (compatible.ts).
  const compatible = compatibleRoute(req, url);
  if (compatible && 'status' in compatible) return send(res, compatible);
  const path = compatible?.path ?? url.pathname;
  // Audio uploads are binary multipart, so they are routed before the body is read as UTF-8 text.
  if (!compatible && path.startsWith('/v1/audio/')) return handleAudio(req, res, authenticate(req));
  const body = await readBody(req);
  const auth = compatible ? undefined : authenticate(req);
  if (auth) return send(res, auth);
  if (req.method === 'GET' && path === '/v1/models') {
    return sendJson(res, 200, compatible ? compatibleModels(compatible.host) : modelsList());
  }
  const method = req.method ?? 'GET';
  if (method !== 'POST' || path !== '/v1/chat/completions') return send(res, errors.invalidUrl(method, path));
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return send(res, errors.invalidJson());
  }
  if (compatible && typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const translated = toOpenAIBody(parsed as Record<string, unknown>, compatible);
    if ('error' in translated) return send(res, translated.error);
    parsed = translated.body;
  }
  const request = validateCompletion(parsed, compatible?.host.models);
  if ('status' in request) return send(res, request);
  const scenario = scenarioError(request, rateLimited);
  if (scenario) return send(res, scenario);
  // Without `stream` the API answers one `chat.completion` object, with usage always included.
  if (!request.stream) return sendJson(res, 200, completion(reply({ ...request, includeUsage: true })));
  const chunks = reply(request);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, must-revalidate',
    'x-request-id': requestId(),
    'openai-organization': ORGANIZATION,
    'openai-processing-ms': '42',
    'openai-version': '2020-10-01',
  });
  res.flushHeaders();
  const closed = new Promise<void>((resolve) => res.once('close', resolve));
  if (request.model.id === 'fake-slow' && !(await pause(SLOW_MS, closed))) return;
  for (const [index, data] of chunks.entries()) {
    if (res.destroyed) return;
    res.write(frame(data));
    // The first word has its own chunk at index 1 (index 0 carries the role).
    if (index !== 1) continue;
    if (stalls(request, rateLimited) && !(await pause(STALL_MS, closed))) return;
    if (request.model.id === 'fake-cut') return void res.end();
    // Mid-stream failures arrive as an `error` object in a data frame, and the stream ends without `[DONE]`.
    if (request.model.id === 'fake-stream-error') return void res.end(frame(errors.server().body));
  }
  res.end(frame('[DONE]'));
}

function authenticate(req: IncomingMessage): ApiError | undefined {
  const header = req.headers.authorization;
  if (!header) return errors.missingKey();
  const key = header.replace(/^Bearer\s+/i, '');
  if (key !== API_KEY) return errors.wrongKey(key);
  const organization = req.headers['openai-organization'];
  if (organization !== undefined && organization !== ORGANIZATION) return errors.wrongOrganization();
  return undefined;
}

function stalls(request: CompletionRequest, seen: Set<string>): boolean {
  if (request.model.id === 'fake-stall') return true;
  if (request.model.id !== 'fake-stall-once') return false;
  const key = conversationKey(request);
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

function scenarioError(request: CompletionRequest, rateLimited: Set<string>): ApiError | undefined {
  switch (request.model.id) {
    case 'fake-400':
      return errors.contextLength(130_000);
    case 'fake-500':
      return errors.server();
    case 'fake-429':
      return errors.rateLimited(request.model.id);
    case 'fake-429-once': {
      const key = conversationKey(request);
      if (rateLimited.has(key)) return undefined;
      rateLimited.add(key);
      return errors.rateLimited(request.model.id);
    }
    default:
      return undefined;
  }
}

/** Waits `ms`, or less when the client goes away; true when the wait ran its course. */
async function pause(ms: number, closed: Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), ms);
  });
  const outcome = await Promise.race([waited, closed.then(() => false)]);
  clearTimeout(timer);
  return outcome;
}

/** The non-streaming `chat.completion` object (text replies), folded from the chunks the stream would send. */
function completion(chunks: Record<string, unknown>[]): Record<string, unknown> {
  const first = chunks[0] ?? {};
  const deltas = chunks.flatMap((data) => (Array.isArray(data.choices) ? data.choices : [])) as {
    delta: { content?: string | null };
    finish_reason: string | null;
  }[];
  const content = deltas.map((choice) => choice.delta.content ?? '').join('');
  const finish = deltas.findLast((choice) => choice.finish_reason)?.finish_reason ?? 'stop';
  const usage = chunks.findLast((data) => data.usage)?.usage ?? null;
  return {
    id: first.id,
    object: 'chat.completion',
    created: first.created,
    model: first.model,
    choices: [
      { index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: finish },
    ],
    usage,
    service_tier: 'default',
    system_fingerprint: first.system_fingerprint,
  };
}

function send(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, error.body, error.headers);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': requestId(), ...headers });
  res.end(JSON.stringify(body));
}

function requestId(): string {
  return `req_${Math.random().toString(16).slice(2).padEnd(32, '0')}`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

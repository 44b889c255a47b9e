/**
 * A fake of the Gemini API (generativelanguage.googleapis.com) as a real HTTP server, speaking its documented wire
 * format (https://ai.google.dev/api): `POST /v1beta/models/{model}:streamGenerateContent?alt=sse` answering
 * server-sent events, one `GenerateContentResponse` JSON per `data:` line, and `GET /v1beta/models` (paged).
 * Every request must carry the key `test-key` in `x-goog-api-key` (or `?key=`), as the real API requires one.
 * What a generate request does is chosen by its model name: see `gemini/scenarios.ts`.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { listen, type RunningFake } from '../../../sdk/fake/listen.ts';
import { CATALOG, listPage } from './catalog.ts';
import {
  apiKeyInvalid,
  type FakeError,
  invalidArgument,
  notFound,
  unauthenticated,
  unregisteredCaller,
} from './errors.ts';
import { type Frame, plan } from './scenarios.ts';
import { type GenerateContentRequest, validateRequest } from './validate.ts';

export const name = 'gemini';

export const API_KEY = 'test-key';

// Google front ends answer with these; the SDK only needs the content types.
const JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8', server: 'scaffolding on HTTPServer2' };
const SSE_HEADERS = { 'content-type': 'text/event-stream', server: 'scaffolding on HTTPServer2' };
// Inline data: "the total request size limit is 20MB" (ai.google.dev/gemini-api/docs/image-understanding).
const MAX_REQUEST_BYTES = 20 * 1024 * 1024;
// Words arrive a few milliseconds apart, so the stream is really streamed and an abort lands mid-stream.
const FRAME_GAP_MS = 5;

const GENERATE = /^\/(v1beta|v1)\/models\/([^/:]+):(streamGenerateContent|generateContent)$/;
const MODEL = /^\/(v1beta|v1)\/models\/([^/:]+)$/;

function sendError(res: ServerResponse, error: FakeError): void {
  res.writeHead(error.status, { ...JSON_HEADERS, ...error.headers });
  res.end(`${JSON.stringify(error.body, null, 2)}\n`);
}

function sendJson(res: ServerResponse, body: unknown): void {
  res.writeHead(200, JSON_HEADERS);
  res.end(JSON.stringify(body, null, 2));
}

/** The key check comes first, as on the real API: a bad key wins over any other problem with the request. */
function authenticate(req: IncomingMessage, url: URL): FakeError | undefined {
  const key = req.headers['x-goog-api-key'] ?? url.searchParams.get('key');
  if (key === undefined || key === null || key === '') {
    return req.headers.authorization ? unauthenticated() : unregisteredCaller();
  }
  return key === API_KEY ? undefined : apiKeyInvalid();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Resolves after `ms`, or at once when the client has gone away. */
function pause(res: ServerResponse, ms: number): Promise<void> {
  if (ms <= 0 || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    }
    res.once('close', done);
  });
}

async function streamFrames(res: ServerResponse, frames: Frame[], delayBeforeFirstMs: number, stallMs: number) {
  await pause(res, delayBeforeFirstMs);
  if (res.destroyed) return;
  res.writeHead(200, SSE_HEADERS);
  for (const [index, frame] of frames.entries()) {
    if (res.destroyed) return;
    if (index > 0) await pause(res, index === 1 ? stallMs || FRAME_GAP_MS : FRAME_GAP_MS);
    // The API ends each event with CRLF CRLF; the SDK splits on it like on LF LF (HTML Living Standard §9.2.6).
    res.write(`data: ${JSON.stringify(frame)}\r\n\r\n`);
  }
  res.end();
}

async function generate(req: IncomingMessage, res: ServerResponse, url: URL, model: string, method: string) {
  if (req.method !== 'POST') return sendError(res, notFound('Method not found.'));
  if (method !== 'streamGenerateContent' || url.searchParams.get('alt') !== 'sse') {
    // The real API also answers unary calls and a JSON-array stream; Parley uses neither, so the fake refuses them.
    return sendError(res, invalidArgument('This fake only serves streamGenerateContent with alt=sse.'));
  }
  const body = await readBody(req);
  if (Buffer.byteLength(body) > MAX_REQUEST_BYTES) {
    return sendError(res, invalidArgument(`Request payload size exceeds the limit: ${MAX_REQUEST_BYTES} bytes.`));
  }
  let request: GenerateContentRequest;
  try {
    request = JSON.parse(body) as GenerateContentRequest;
  } catch {
    return sendError(res, invalidArgument(`Invalid JSON payload received. Unexpected token.\n${body.slice(0, 40)}\n^`));
  }
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    return sendError(res, invalidArgument('Invalid JSON payload received. Expected an object.'));
  }
  const problem = validateRequest(model, request);
  if (problem) return sendError(res, problem);
  const outcome = plan(model, request, body);
  if (outcome.kind === 'error') return sendError(res, outcome.error);
  await streamFrames(res, outcome.frames, outcome.delayBeforeFirstMs, outcome.stallAfterFirstMs);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const unauthorised = authenticate(req, url);
  if (unauthorised) return sendError(res, unauthorised);
  const generateMatch = GENERATE.exec(url.pathname);
  if (generateMatch) return generate(req, res, url, decodeURIComponent(generateMatch[2] ?? ''), generateMatch[3] ?? '');
  if (req.method === 'GET' && /^\/(v1beta|v1)\/models$/.test(url.pathname)) {
    const pageSize = Number(url.searchParams.get('pageSize') ?? 0);
    return sendJson(res, listPage(pageSize, url.searchParams.get('pageToken')));
  }
  const modelMatch = MODEL.exec(url.pathname);
  if (req.method === 'GET' && modelMatch) {
    const found = CATALOG.find((model) => model.name === `models/${modelMatch[2]}`);
    return found ? sendJson(res, found) : sendError(res, notFound(`models/${modelMatch[2]} is not found.`));
  }
  sendError(res, notFound('Method not found.'));
}

export async function start(): Promise<RunningFake> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the fake: say so loudly in the response rather than hang the test.
      if (!res.headersSent) res.writeHead(500, JSON_HEADERS);
      res.end(
        JSON.stringify({ error: { code: 500, message: `fake gemini crashed: ${String(error)}`, status: 'INTERNAL' } }),
      );
    });
  });
  return listen(server);
}

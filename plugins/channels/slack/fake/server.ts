/**
 * A fake Slack Web API on loopback: `POST /api/chat.postMessage` and `/api/chat.update` with `Authorization: Bearer
 * xoxb-test` and a JSON body. Like Slack it answers HTTP 200 `{ ok: false, error }` for method errors
 * (`invalid_auth`, `channel_not_found`, `no_text`, `msg_too_long` over 40,000 chars) and HTTP 429 with `Retry-After`
 * for rate limits. Channels pick errors: `C-RATELIMITED` (429), `C-MISSING` (channel_not_found), `C-500` (HTTP 500).
 * chat.update answers `message_not_found` without `ts` or for a ts it never posted in that channel.
 * Files: `files.info?file=F…` (GET or POST form, Bearer) → `{ ok, file: { id, mimetype, url_private, … } }`
 * (`file_not_found` for ids containing "missing"); `GET /files-pri/<team>-<file id>/<name>` serves the bytes
 * (plugins/sdk/fake/media.ts) only with the Bearer token — without it, like Slack, a 200 HTML sign-in page.
 * Uploads: `files.getUploadURLExternal` (form: filename, length ≥ 1) → `{ ok, upload_url, file_id }`; `POST
 * /upload/<file id>` takes the bytes (raw or multipart; 200 "OK - <size>", a size other than the announced length →
 * 400); `files.completeUploadExternal` (JSON: files [{id, title?}], channel_id, thread_ts?) → `{ ok, files }`, or
 * `file_not_found` for a file never uploaded, `channel_not_found` for C-MISSING.
 *
 * Every request is recorded: `GET /__requests[?contains=<substring of the JSON body>]` (see plugins/sdk/fake/request-log.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { listen, type RunningFake } from '../../../sdk/fake/listen.ts';
import { sampleFor, serveSample } from '../../../sdk/fake/media.ts';
import { RequestLog, readMultipart } from '../../../sdk/fake/request-log.ts';

export const name = 'slack';

const TOKEN = 'xoxb-test';

function json(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}

let ts = 1700000000;

const posted = new Set<string>();

function fileInfo(res: ServerResponse, origin: string, fileId: string | null): void {
  if (!fileId || fileId.includes('missing')) {
    json(res, 200, { ok: false, error: 'file_not_found' });
    return;
  }
  const sample = sampleFor(fileId);
  const name = `${fileId}.${sample.extension}`;
  const url_private = `${origin}/files-pri/T0FAKE-${fileId}/${name}`;
  const file = { id: fileId, name, mimetype: sample.mimeType, size: sample.bytes.length, url_private };
  json(res, 200, { ok: true, file: { ...file, url_private_download: `${url_private}?download=1` } });
}

function privateFile(req: IncomingMessage, res: ServerResponse, path: string): void {
  if (req.headers.authorization !== `Bearer ${TOKEN}`) {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Sign in to Slack</body></html>');
    return;
  }
  serveSample(res, path.split('/')[2] ?? '');
}

/** Announced upload lengths by file id, and the ids whose bytes arrived. */
const announced = new Map<string, number>();
const uploaded = new Set<string>();
let nextFile = 0;

function uploadUrl(res: ServerResponse, origin: string, form: URLSearchParams) {
  const length = Number(form.get('length'));
  if (!form.get('filename')) return json(res, 200, { ok: false, error: 'invalid_arguments' });
  if (!Number.isInteger(length) || length < 1) return json(res, 200, { ok: false, error: 'invalid_arguments' });
  const fileId = `F0FAKE${String(++nextFile).padStart(6, '0')}`;
  announced.set(fileId, length);
  json(res, 200, { ok: true, upload_url: `${origin}/upload/${fileId}`, file_id: fileId });
}

function receiveUpload(res: ServerResponse, fileId: string, size: number) {
  const expected = announced.get(fileId);
  if (expected === undefined) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  if (expected !== size) return void res.writeHead(400, { 'content-type': 'text/plain' }).end('length mismatch');
  uploaded.add(fileId);
  res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${size}`);
}

function completeUpload(res: ServerResponse, raw: string) {
  let body: { files?: { id?: string; title?: string }[]; channel_id?: string; thread_ts?: string };
  try {
    body = JSON.parse(raw);
  } catch {
    return json(res, 200, { ok: false, error: 'invalid_json' });
  }
  const files = body.files ?? [];
  if (files.length === 0 || files.some((file) => !file.id || !uploaded.has(file.id))) {
    return json(res, 200, { ok: false, error: 'file_not_found' });
  }
  if (body.channel_id === 'C-MISSING') return json(res, 200, { ok: false, error: 'channel_not_found' });
  if (body.channel_id === 'C-RATELIMITED')
    return json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '7' });
  json(res, 200, { ok: true, files: files.map((file) => ({ id: file.id, title: file.title ?? '' })) });
}

async function handle(req: IncomingMessage, res: ServerResponse, log: RequestLog): Promise<void> {
  const rawBody = await log.intake(req, res);
  if (!rawBody) return;
  const url = new URL(req.url ?? '/', 'http://fake');
  const path = url.pathname;
  if (req.method === 'GET' && path.startsWith('/files-pri/')) return privateFile(req, res, path);
  const upload = /^\/upload\/([^/]+)$/.exec(path);
  if (req.method === 'POST' && upload) {
    const contentType = String(req.headers['content-type'] ?? '');
    const form = contentType.startsWith('multipart/form-data') ? await readMultipart(contentType, rawBody) : null;
    const part = form ? [...form.values()].find((value) => typeof value !== 'string') : undefined;
    return receiveUpload(res, upload[1] ?? '', part && typeof part !== 'string' ? part.size : rawBody.length);
  }
  const raw = rawBody.toString('utf8');
  const method = path.replace(/^\/api\//, '');
  if (method === 'files.getUploadURLExternal' || method === 'files.completeUploadExternal') {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(res, 200, { ok: false, error: 'invalid_auth' });
    if (method === 'files.completeUploadExternal') return completeUpload(res, raw);
    return uploadUrl(res, `http://${req.headers.host}`, new URLSearchParams(raw || url.search));
  }
  if (method === 'files.info') {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(res, 200, { ok: false, error: 'invalid_auth' });
    const fileId = url.searchParams.get('file') ?? new URLSearchParams(raw).get('file');
    return fileInfo(res, `http://${req.headers.host}`, fileId);
  }
  if (req.method !== 'POST' || !['chat.postMessage', 'chat.update'].includes(method)) {
    return json(res, 404, { ok: false, error: 'unknown_method' });
  }
  if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(res, 200, { ok: false, error: 'invalid_auth' });
  let body: { channel?: string; text?: string; ts?: string; thread_ts?: string };
  try {
    body = JSON.parse(raw);
  } catch {
    return json(res, 200, { ok: false, error: 'invalid_json' });
  }
  if (!body.channel) return json(res, 200, { ok: false, error: 'channel_not_found' });
  if (!body.text) return json(res, 200, { ok: false, error: 'no_text' });
  if (body.text.length > 40_000) return json(res, 200, { ok: false, error: 'msg_too_long' });
  if (body.channel === 'C-RATELIMITED')
    return json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '7' });
  if (body.channel === 'C-MISSING') return json(res, 200, { ok: false, error: 'channel_not_found' });
  if (body.channel === 'C-500')
    return res.writeHead(500, { 'content-type': 'text/html' }).end('<html>oops</html>') && undefined;
  if (method === 'chat.update') {
    if (!body.ts) return json(res, 200, { ok: false, error: 'message_not_found' });
    if (!posted.has(`${body.channel}:${body.ts}`)) return json(res, 200, { ok: false, error: 'message_not_found' });
    return json(res, 200, { ok: true, channel: body.channel, ts: body.ts, text: body.text });
  }
  ts++;
  posted.add(`${body.channel}:${ts}.000100`);
  const message = {
    type: 'message',
    text: body.text,
    ts: `${ts}.000100`,
    ...(body.thread_ts ? { thread_ts: body.thread_ts } : {}),
  };
  return json(res, 200, { ok: true, channel: body.channel, ts: message.ts, message });
}

export async function start(): Promise<RunningFake> {
  const log = new RequestLog();
  const server = createServer((req, res) => {
    handle(req, res, log).catch(() => json(res, 500, { ok: false, error: 'fatal_error' }));
  });
  return listen(server, '/api');
}

/**
 * A fake Telegram Bot API on loopback (https://core.telegram.org/bots/api). `POST /bot<token>/<method>` with a JSON,
 * form-urlencoded or multipart body (Telegram accepts all three); answers `{ ok: true, result }` or the real error
 * shape `{ ok: false, error_code, description, parameters? }`. It checks the token (401 "Unauthorized"), the body,
 * the HTML parse mode (only Telegram's tags, balanced, and 1-4096 characters after entity parsing, else 400 "can't
 * parse entities" / "message is too long").
 *
 * Methods: sendMessage (message_id increases with every message, so per chat too), editMessageText (400 "message
 * is not modified" when the text is unchanged, "message to edit not found" for an unknown id), sendChatAction,
 * sendVoice / sendAudio / sendDocument / sendPhoto (multipart with a non-empty `voice` / `audio` / `document` / `photo`
 * file; a caption of at most 1024 characters; a photo whose file name contains "panorama" gets 400
 * PHOTO_INVALID_DIMENSIONS, a photo over 10 MB 400 "file is too big"), setWebhook (https URL, or http on 127.0.0.1/localhost for
 * local tests; secret_token 1-256 of A-Z a-z 0-9 _ -), getFile → `{ file_id, file_unique_id, file_size, file_path }`,
 * and `GET /file/bot<token>/<file_path>` serving the bytes (plugins/sdk/fake/media.ts: an Ogg/Opus voice note, a PNG for
 * photo ids, a PDF for document ids). getFile of a file_id containing "too-big" answers 400 "file is too big" (the
 * Bot API's 20 MB download limit); one containing "missing" answers 400 "invalid file_id".
 * Chat ids pick failures: 403 → bot blocked by the user, 429 → rate limit with retry_after 7, 500 → server error,
 * 4290000000-4299999999 → the first sendMessage to that chat is rate limited (retry_after 1), later ones succeed,
 * 4280000000-4289999999 → the same for the first sendDocument,
 * any other negative id below -1000000000000 → "chat not found", 400400 → "echo error": a 400 whose description
 * quotes the request's URL (plain and URL-encoded) and headers, as a proxy or a local Bot API server may.
 *
 * Every request is recorded: `GET /__requests[?contains=<substring of the JSON body>]` (see plugins/sdk/fake/request-log.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { listen, type RunningFake } from '../../../sdk/fake/listen.ts';
import { sampleFor, serveSample } from '../../../sdk/fake/media.ts';
import { RequestLog, readMultipart } from '../../../sdk/fake/request-log.ts';

export const name = 'telegram';
export const TOKEN = '123456:TEST-fake-bot-token';
const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'code',
  'pre',
  'a',
  'blockquote',
  'tg-spoiler',
]);

type Answer = { status: number; body: Record<string, unknown> };
const fail = (error_code: number, description: string, parameters?: Record<string, unknown>): Answer => ({
  status: error_code,
  body: { ok: false, error_code, description, ...(parameters ? { parameters } : {}) },
});
const ok = (result: unknown): Answer => ({ status: 200, body: { ok: true, result } });

/** Mimics Telegram's HTML entity parser: returns the visible text, or an error description. */
function visibleText(html: string): string | { error: string } {
  const stack: string[] = [];
  for (const tag of html.matchAll(/<(\/?)([a-z-]+)[^>]*>/g)) {
    const [, closing, tagName = ''] = tag;
    if (!TAGS.has(tagName)) return { error: `Bad Request: can't parse entities: Unsupported start tag "${tagName}"` };
    if (!closing) stack.push(tagName);
    else if (stack.pop() !== tagName)
      return { error: `Bad Request: can't parse entities: Unmatched end tag "${tagName}"` };
  }
  if (stack.length > 0)
    return { error: `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${stack[0]}"` };
  const text = html.replace(/<[^>]*>/g, '');
  if (/<|>|&(?!(amp|lt|gt|quot|#\d+);)/.test(text))
    return { error: "Bad Request: can't parse entities: Unexpected character" };
  return text.replace(/&(amp|lt|gt|quot|#\d+);/g, 'x');
}

function checkText(body: Record<string, unknown>): Answer | null {
  if (typeof body.text !== 'string' || body.text === '') return fail(400, 'Bad Request: message text is empty');
  let text = body.text;
  if (body.parse_mode === 'HTML') {
    const visible = visibleText(text);
    if (typeof visible !== 'string') return fail(400, visible.error);
    text = visible;
  }
  return [...text].length > 4096 ? fail(400, 'Bad Request: message is too long') : null;
}

function checkChat(chatId: unknown): Answer | null {
  if (typeof chatId !== 'number' && typeof chatId !== 'string') return fail(400, 'Bad Request: chat_id is empty');
  if (chatId === 403) return fail(403, 'Forbidden: bot was blocked by the user');
  if (chatId === 429) return fail(429, 'Too Many Requests: retry after 7', { retry_after: 7 });
  if (chatId === 500) return fail(500, 'Internal Server Error');
  if (typeof chatId === 'number' && chatId < -1_000_000_000_000 && chatId !== -1001234567890) {
    return fail(400, 'Bad Request: chat not found');
  }
  return null;
}

/**
 * Chat ids 4290000000-4299999999: the first sendMessage to each gets 429 (retry_after 1), later ones go through.
 * Chat ids 4280000000-4289999999: the same for the first sendDocument.
 */
const limitedChats = new Set<string>();
function rateLimitedOnce(chatId: unknown, from = 4_290_000_000): boolean {
  if (typeof chatId !== 'number' || chatId < from || chatId >= from + 10_000_000) return false;
  if (limitedChats.has(`${from}:${chatId}`)) return false;
  limitedChats.add(`${from}:${chatId}`);
  return true;
}

const WEBHOOK_URL = /^(https:\/\/|http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/)/;

/** Fake server state: last text per "chat:message" (for edits) and the message id counter. */
interface State {
  texts: Map<string, string>;
  nextMessageId: () => number;
}

/** Parameters of a Bot API call, whatever the encoding. Files are kept as their size, type and name only. */
type Params = Record<string, unknown>;
type UploadedFile = { size: number; type: string; name: string };

function setWebhook(body: Params): Answer {
  if (typeof body.url !== 'string' || !WEBHOOK_URL.test(body.url)) {
    return fail(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
  }
  if (body.secret_token !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(String(body.secret_token))) {
    return fail(400, 'Bad Request: secret token contains unallowed characters');
  }
  return { status: 200, body: { ok: true, result: true, description: 'Webhook was set' } };
}

function getFile(body: Params): Answer {
  const fileId = body.file_id;
  if (typeof fileId !== 'string' || fileId === '' || fileId.includes('missing')) {
    return fail(400, 'Bad Request: invalid file_id');
  }
  // "bots can download files of up to 20MB in size" (https://core.telegram.org/bots/api#getfile)
  if (fileId.includes('too-big')) return fail(400, 'Bad Request: file is too big');
  const sample = sampleFor(fileId);
  const folder = sample.extension === 'oga' ? 'voice' : sample.extension === 'png' ? 'photos' : 'documents';
  const file_path = `${folder}/${encodeURIComponent(fileId)}.${sample.extension}`;
  return ok({ file_id: fileId, file_unique_id: `u-${fileId.slice(0, 16)}`, file_size: sample.bytes.length, file_path });
}

type UploadField = 'voice' | 'audio' | 'document' | 'photo';

/** sendVoice, sendAudio, sendDocument and sendPhoto: a non-empty uploaded file in the method's field. */
function sendUpload(body: Params, state: State, field: UploadField): Answer {
  const upload = body[field] as UploadedFile | undefined;
  if (typeof upload !== 'object' || upload === null || upload.size === 0) {
    return fail(400, `Bad Request: there is no ${field} in the request`);
  }
  if (body.caption !== undefined && [...String(body.caption)].length > 1024) {
    return fail(400, 'Bad Request: message caption is too long');
  }
  if (field === 'photo' && upload.name.includes('panorama')) return fail(400, 'Bad Request: PHOTO_INVALID_DIMENSIONS');
  if (field === 'photo' && upload.size > 10 * 1024 * 1024) return fail(400, 'Bad Request: file is too big');
  const message_id = state.nextMessageId();
  const date = Math.floor(Date.now() / 1000);
  const ids = { file_id: `${field}-${message_id}`, file_unique_id: `u${message_id}` };
  const file =
    field === 'photo'
      ? [{ ...ids, width: 1, height: 1, file_size: upload.size }]
      : field === 'document'
        ? { ...ids, file_name: upload.name, mime_type: upload.type, file_size: upload.size }
        : { ...ids, duration: 1, mime_type: 'audio/ogg' };
  const caption = body.caption === undefined ? {} : { caption: body.caption };
  return ok({ message_id, date, chat: { id: body.chat_id, type: 'private' }, [field]: file, ...caption });
}

function answer(method: string, body: Params, state: State): Answer {
  if (method === 'setWebhook') return setWebhook(body);
  if (method === 'getFile') return getFile(body);
  const chatError = checkChat(body.chat_id);
  if (chatError) return chatError;
  if (method === 'sendChatAction') {
    return ['typing', 'upload_photo', 'record_voice', 'upload_voice'].includes(String(body.action))
      ? ok(true)
      : fail(400, 'Bad Request: wrong parameter action in request');
  }
  if (method === 'sendVoice') return sendUpload(body, state, 'voice');
  if (method === 'sendAudio') return sendUpload(body, state, 'audio');
  if (method === 'sendDocument' && rateLimitedOnce(body.chat_id, 4_280_000_000)) {
    return fail(429, 'Too Many Requests: retry after 1', { retry_after: 1 });
  }
  if (method === 'sendDocument') return sendUpload(body, state, 'document');
  if (method === 'sendPhoto') return sendUpload(body, state, 'photo');
  const textError = checkText(body);
  if (textError) return textError;
  const date = Math.floor(Date.now() / 1000);
  if (method === 'sendMessage' && rateLimitedOnce(body.chat_id)) {
    return fail(429, 'Too Many Requests: retry after 1', { retry_after: 1 });
  }
  if (method === 'sendMessage') {
    const messageId = state.nextMessageId();
    state.texts.set(`${body.chat_id}:${messageId}`, String(body.text));
    return ok({ message_id: messageId, date, chat: { id: body.chat_id, type: 'private' }, text: body.text });
  }
  if (method === 'editMessageText') {
    const key = `${body.chat_id}:${body.message_id}`;
    const previous = state.texts.get(key);
    if (previous === undefined) return fail(400, 'Bad Request: message to edit not found');
    if (previous === body.text) {
      return fail(
        400,
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    state.texts.set(key, String(body.text));
    return ok({ message_id: body.message_id, date, edit_date: date, chat: { id: body.chat_id }, text: body.text });
  }
  return fail(404, 'Not Found');
}

/** Form values are strings; Telegram reads integer parameters from them, so numeric ids become numbers here. */
const formValue = (value: string): unknown => (/^-?\d+$/.test(value) ? Number(value) : value);

async function readParams(contentType: string, raw: Buffer): Promise<Params | null> {
  if (contentType.startsWith('application/json')) {
    try {
      const body: unknown = JSON.parse(raw.toString('utf8'));
      return typeof body === 'object' && body !== null ? (body as Params) : null;
    } catch {
      return null;
    }
  }
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(raw.toString('utf8'));
    return Object.fromEntries([...form].map(([key, value]) => [key, formValue(value)]));
  }
  if (contentType.startsWith('multipart/form-data')) {
    const form = await readMultipart(contentType, raw);
    if (!form) return null;
    const params: Params = {};
    for (const [key, value] of form.entries()) {
      params[key] =
        typeof value === 'string' ? formValue(value) : { size: value.size, type: value.type, name: value.name };
    }
    return params;
  }
  return {}; // a body Telegram cannot read has no parameters
}

function serveFile(path: string, res: ServerResponse): void {
  const match = /^\/file\/bot([^/]+)\/(\w+)\/(.+)$/.exec(path);
  if (!match || match[1] !== TOKEN) {
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(fail(404, 'Not Found').body));
    return;
  }
  const fileId = decodeURIComponent((match[3] ?? '').replace(/\.\w+$/, ''));
  // Telegram's file server answers application/octet-stream whatever the file is.
  serveSample(res, fileId, 'application/octet-stream');
}

/** Chat 400400: the request quoted back, credentials and all (tests that errors are redacted before storage). */
const ECHO_CHAT = 400400;
function echoError(req: IncomingMessage): Answer {
  const url = `http://${req.headers.host}${req.url}`;
  return fail(
    400,
    `Bad Request: proxy refused ${req.method} ${url} (${encodeURIComponent(url)}) headers ${JSON.stringify(req.headers)}`,
  );
}

async function handle(req: IncomingMessage, res: ServerResponse, state: State, log: RequestLog) {
  const raw = await log.intake(req, res);
  if (!raw) return;
  const path = new URL(req.url ?? '/', 'http://fake').pathname;
  if (req.method === 'GET' && path.startsWith('/file/')) return serveFile(path, res);
  const match = /^\/bot([^/]+)\/(\w+)$/.exec(path);
  let result: Answer;
  if (!match || req.method !== 'POST') result = fail(404, 'Not Found');
  else if (match[1] !== TOKEN) result = fail(401, 'Unauthorized');
  else {
    const params = await readParams(String(req.headers['content-type'] ?? ''), raw);
    result = !params
      ? fail(400, 'Bad Request: invalid JSON')
      : params.chat_id === ECHO_CHAT
        ? echoError(req)
        : answer(match[2] ?? '', params, state);
  }
  res.writeHead(result.status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(result.body));
}

export async function start(): Promise<RunningFake> {
  let messageId = 1000;
  const state: State = { texts: new Map(), nextMessageId: () => ++messageId };
  const log = new RequestLog();
  const server = createServer((req, res) => {
    handle(req, res, state, log).catch(() => {
      res.writeHead(500).end();
    });
  });
  return listen(server);
}

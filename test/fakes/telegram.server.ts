/**
 * A fake Telegram Bot API on loopback (https://core.telegram.org/bots/api). `POST /bot<token>/<method>` with a JSON
 * body; answers `{ ok: true, result }` or the real error shape `{ ok: false, error_code, description, parameters? }`.
 * It checks the token (401 "Unauthorized"), the JSON body, the HTML parse mode (only Telegram's tags, balanced, and
 * 1-4096 characters after entity parsing, else 400 "can't parse entities" / "message is too long").
 * Chat ids pick failures: 403 → bot blocked by the user, 429 → rate limit with retry_after 7, 500 → server error,
 * any other negative id below -1000000000000 → "chat not found".
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

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

function answer(method: string, body: Record<string, unknown>, texts: Map<string, string>, next: () => number): Answer {
  if (method === 'setWebhook') {
    if (typeof body.url !== 'string' || !body.url.startsWith('https://')) {
      return fail(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
    }
    if (typeof body.secret_token === 'string' && !/^[A-Za-z0-9_-]{1,256}$/.test(body.secret_token)) {
      return fail(400, 'Bad Request: secret token contains unallowed characters');
    }
    return { status: 200, body: { ok: true, result: true, description: 'Webhook was set' } };
  }
  const chatError = checkChat(body.chat_id);
  if (chatError) return chatError;
  if (method === 'sendChatAction') {
    return body.action === 'typing' || body.action === 'upload_photo'
      ? ok(true)
      : fail(400, 'Bad Request: wrong parameter action in request');
  }
  const textError = checkText(body);
  if (textError) return textError;
  const date = Math.floor(Date.now() / 1000);
  if (method === 'sendMessage') {
    const messageId = next();
    texts.set(`${body.chat_id}:${messageId}`, String(body.text));
    return ok({ message_id: messageId, date, chat: { id: body.chat_id, type: 'private' }, text: body.text });
  }
  if (method === 'editMessageText') {
    const key = `${body.chat_id}:${body.message_id}`;
    const previous = texts.get(key);
    if (previous === undefined) return fail(400, 'Bad Request: message to edit not found');
    if (previous === body.text) {
      return fail(
        400,
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    texts.set(key, String(body.text));
    return ok({ message_id: body.message_id, date, edit_date: date, chat: { id: body.chat_id }, text: body.text });
  }
  return fail(404, 'Not Found');
}

async function handle(req: IncomingMessage, res: ServerResponse, texts: Map<string, string>, next: () => number) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const match = /^\/bot([^/]+)\/(\w+)$/.exec(new URL(req.url ?? '/', 'http://fake').pathname);
  let result: Answer;
  if (!match || req.method !== 'POST') result = fail(404, 'Not Found');
  else if (match[1] !== TOKEN) result = fail(401, 'Unauthorized');
  else if (!String(req.headers['content-type']).startsWith('application/json')) {
    result = fail(400, 'Bad Request: chat_id is empty'); // a body Telegram cannot read has no parameters
  } else {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      body = null;
    }
    result =
      typeof body === 'object' && body !== null
        ? answer(match[2] ?? '', body as Record<string, unknown>, texts, next)
        : fail(400, 'Bad Request: invalid JSON');
  }
  res.writeHead(result.status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(result.body));
}

export async function start(): Promise<{ url: string; close(): Promise<void> }> {
  const texts = new Map<string, string>();
  let messageId = 1000;
  const server = createServer((req, res) => {
    handle(req, res, texts, () => ++messageId).catch(() => {
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

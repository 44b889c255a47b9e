/**
 * A fake WhatsApp Cloud API (Graph API) on loopback: `POST /v<major>.<minor>/<phone-number-id>/messages`
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages). It checks the Bearer token (190
 * OAuthException), the phone number id (100 GraphMethodException), `messaging_product`, the text body (1-4096
 * characters) and read receipts, and answers with the real success and error JSON. Recipients pick failures
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes):
 * 15550001047 → 131047 re-engagement window expired, 15550000429 → 130429 throughput limit,
 * 15550001056 → 131056 pair rate limit, 15550001026 → 131026 undeliverable, 15550000500 → HTTP 500 code 131000,
 * 15550000400 → "echo error": a 400 whose message quotes the request's URL and headers (the access token included).
 *
 * Also: read receipts with the typing indicator (`{status:'read', message_id:'wamid.…', typing_indicator:{type:'text'}}`);
 * media download in two steps like Meta (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media):
 * `GET /v<x>/<media-id>` → `{ messaging_product, url, mime_type, sha256, file_size, id }`, then `GET <url>` with the
 * same Bearer token → the bytes (plugins/sdk/fake/media.ts; ids containing "missing" → 400 code 100); media upload
 * `POST /v<x>/<phone-number-id>/media` (multipart: messaging_product, type, file; a type outside Meta's supported
 * list → 400 code 131053) → `{ id }`, and `type: 'audio' | 'image' | 'document'` messages naming the media by `id`
 * (or `link`), with a `caption` of at most 1024 characters (images, documents) and a `filename` (documents).
 *
 * Every request is recorded: `GET /__requests[?contains=<substring of the JSON body>]` (see plugins/sdk/fake/request-log.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { listen, type RunningFake } from '../../../sdk/fake/listen.ts';
import { sampleFor, serveSample } from '../../../sdk/fake/media.ts';
import { RequestLog, readMultipart } from '../../../sdk/fake/request-log.ts';

export const name = 'whatsapp';
const ACCESS_TOKEN = 'test-access-token';
const PHONE_NUMBER_ID = '106540352242922';

type Answer = { status: number; body: unknown };
const graphError = (
  status: number,
  code: number,
  message: string,
  type = 'OAuthException',
  details?: string,
): Answer => ({
  status,
  body: {
    error: {
      message,
      type,
      code,
      ...(details ? { error_data: { messaging_product: 'whatsapp', details } } : {}),
      fbtrace_id: 'AFakeTraceId0123456789',
    },
  },
});

const SCENARIOS: Record<string, Answer> = {
  '15550001047': graphError(
    400,
    131047,
    '(#131047) Re-engagement message',
    'OAuthException',
    'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  ),
  '15550000429': graphError(
    400,
    130429,
    '(#130429) Rate limit hit',
    'OAuthException',
    'Cloud API message throughput has been reached.',
  ),
  '15550001056': graphError(
    400,
    131056,
    '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    'OAuthException',
    'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
  ),
  '15550001026': graphError(
    400,
    131026,
    '(#131026) Message Undeliverable.',
    'OAuthException',
    'Message Undeliverable.',
  ),
  '15550000500': graphError(500, 131000, '(#131000) Something went wrong', 'OAuthException', 'Something went wrong'),
};

/**
 * `{status: 'read', message_id, typing_indicator?: {type: 'text'}}`: a read receipt, with the typing indicator when
 * asked (https://developers.facebook.com/docs/whatsapp/cloud-api/typing-indicators). Answers `{ success: true }`;
 * a missing or non-wamid message id, or a typing indicator other than `{type: 'text'}`, gets Graph's 100 error.
 */
function readReceipt(body: Record<string, unknown>): Answer {
  if (body.message_id === undefined) {
    return graphError(400, 100, '(#100) The parameter message_id is required.', 'OAuthException');
  }
  if (typeof body.message_id !== 'string' || !body.message_id.startsWith('wamid.')) {
    return graphError(400, 100, '(#100) Invalid parameter', 'OAuthException', 'message_id is invalid');
  }
  const typing = body.typing_indicator;
  const typingType = typeof typing === 'object' && typing !== null ? (typing as { type?: unknown }).type : undefined;
  if (typing !== undefined && typingType !== 'text') {
    return graphError(400, 100, '(#100) Invalid parameter', 'OAuthException', 'typing_indicator.type must be text');
  }
  return { status: 200, body: { success: true } };
}

function answer(body: Record<string, unknown>, next: () => number): Answer {
  if (body.messaging_product !== 'whatsapp') {
    return graphError(400, 100, '(#100) The parameter messaging_product is required.', 'OAuthException');
  }
  if (body.status === 'read') return readReceipt(body);
  const to = body.to;
  if (typeof to !== 'string' || !/^\+?\d{6,15}$/.test(to)) {
    return graphError(400, 100, '(#100) The parameter to is required.', 'OAuthException');
  }
  if (body.type === 'audio' || body.type === 'image' || body.type === 'document') {
    const type = body.type;
    const media = body[type] as { id?: unknown; link?: unknown; caption?: unknown } | undefined;
    if (typeof media?.id !== 'string' && typeof media?.link !== 'string') {
      return graphError(400, 100, `(#100) The parameter ${type}['id'] is required.`, 'OAuthException');
    }
    if (media.caption !== undefined && (type === 'audio' || [...String(media.caption)].length > 1024)) {
      return graphError(400, 100, `(#100) Param ${type}['caption'] is invalid.`, 'OAuthException');
    }
    const waId = to.replace(/^\+/, '');
    const reply = { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: waId }] };
    return { status: 200, body: { ...reply, messages: [{ id: `wamid.FAKE-${String(next()).padStart(6, '0')}` }] } };
  }
  if (body.type !== 'text') return graphError(400, 100, '(#100) Param type must be one of {…}', 'OAuthException');
  const text = body.text as { body?: unknown } | undefined;
  if (typeof text?.body !== 'string' || text.body.trim() === '') {
    return graphError(400, 100, "(#100) The parameter text['body'] is required.", 'OAuthException');
  }
  if ([...text.body].length > 4096) {
    return graphError(400, 100, "(#100) Param text['body'] must be at most 4096 characters long.", 'OAuthException');
  }
  const scenario = SCENARIOS[to.replace(/^\+/, '')];
  if (scenario) return scenario;
  const waId = to.replace(/^\+/, '');
  return {
    status: 200,
    body: {
      messaging_product: 'whatsapp',
      contacts: [{ input: to, wa_id: waId }],
      messages: [{ id: `wamid.FAKE-${String(next()).padStart(6, '0')}` }],
    },
  };
}

/** `GET /v<x>/<media-id>`: the media's temporary URL, valid for five minutes at Meta. */
function mediaInfo(origin: string, mediaId: string): Answer {
  if (mediaId.includes('missing')) {
    return graphError(
      400,
      100,
      `Unsupported get request. Object with ID '${mediaId}' does not exist.`,
      'GraphMethodException',
    );
  }
  const sample = sampleFor(mediaId);
  const url = `${origin}/whatsapp_business/attachments/?mid=${encodeURIComponent(mediaId)}&ext=${Date.now()}`;
  return {
    status: 200,
    body: {
      messaging_product: 'whatsapp',
      url,
      mime_type: sample.mimeType,
      sha256: 'fake-sha256',
      file_size: sample.bytes.length,
      id: mediaId,
    },
  };
}

/** Meta's supported media types (audio, documents, images, stickers, video). */
const UPLOAD_TYPES =
  /^(audio\/(aac|amr|mpeg|mp4|ogg)|text\/plain|application\/(pdf|msword|vnd\.ms-excel|vnd\.ms-powerpoint|vnd\.openxmlformats-officedocument\.[a-z.]+)|image\/(jpeg|png|webp)|video\/(3gp|mp4))$/;

async function uploadMedia(contentType: string, raw: Buffer, next: () => number): Promise<Answer> {
  const form = contentType.startsWith('multipart/form-data') ? await readMultipart(contentType, raw) : null;
  const file = form?.get('file');
  if (form?.get('messaging_product') !== 'whatsapp') {
    return graphError(400, 100, '(#100) The parameter messaging_product is required.', 'OAuthException');
  }
  if (!form || typeof file !== 'object' || file === null || file.size === 0) {
    return graphError(400, 100, '(#100) The parameter file is required.', 'OAuthException');
  }
  if (!UPLOAD_TYPES.test(String(form.get('type')))) {
    return graphError(400, 131053, '(#131053) Media upload error', 'OAuthException', 'Unsupported file type');
  }
  return { status: 200, body: { id: `media-upload-${next()}` } };
}

/** Recipient whose messages get the request quoted back, credentials and all (redaction tests). */
const ECHO_RECIPIENT = '15550000400';

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  raw: Buffer,
  next: () => number,
): Promise<Answer | null> {
  const url = new URL(req.url ?? '/', 'http://fake');
  if (req.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) {
    return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
  }
  if (req.method === 'GET' && url.pathname === '/whatsapp_business/attachments/') {
    serveSample(res, url.searchParams.get('mid') ?? '');
    return null;
  }
  const media = /^\/v\d+\.\d+\/([^/]+)$/.exec(url.pathname);
  if (req.method === 'GET' && media) return mediaInfo(`http://${req.headers.host}`, decodeURIComponent(media[1] ?? ''));
  const match = /^\/v\d+\.\d+\/(\d+)\/(messages|media)$/.exec(url.pathname);
  if (!match || req.method !== 'POST') return graphError(400, 100, 'Unknown path components', 'OAuthException');
  if (match[1] !== PHONE_NUMBER_ID) {
    const message = `Unsupported post request. Object with ID '${match[1]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`;
    return graphError(400, 100, message, 'GraphMethodException');
  }
  const contentType = String(req.headers['content-type'] ?? '');
  if (match[2] === 'media') return uploadMedia(contentType, raw, next);
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    body = null;
  }
  if (typeof body === 'object' && body !== null && (body as { to?: unknown }).to === ECHO_RECIPIENT) {
    const quoted = `${req.method} http://${req.headers.host}${req.url} headers ${JSON.stringify(req.headers)}`;
    return graphError(400, 100, `(#100) Proxy refused ${quoted}`, 'OAuthException');
  }
  return typeof body === 'object' && body !== null && contentType.startsWith('application/json')
    ? answer(body as Record<string, unknown>, next)
    : graphError(400, 100, '(#100) The parameter messaging_product is required.');
}

async function handle(req: IncomingMessage, res: ServerResponse, log: RequestLog, next: () => number): Promise<void> {
  const raw = await log.intake(req, res);
  if (!raw) return;
  const result = await route(req, res, raw, next);
  if (!result) return;
  res.writeHead(result.status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(result.body));
}

export async function start(): Promise<RunningFake> {
  let sent = 0;
  const log = new RequestLog();
  const server = createServer((req, res) => {
    handle(req, res, log, () => ++sent).catch(() => {
      res.writeHead(500).end();
    });
  });
  return listen(server);
}

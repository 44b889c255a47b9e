/**
 * A fake Resend API on loopback (resend.com/docs/api-reference), speaking its wire format so the plugin runs unchanged
 * against it: `POST /emails` with `Authorization: Bearer <key>`, an optional `Idempotency-Key`, and the JSON body
 * from/to/subject/text/html/reply_to; answers `200 {"id": …}` or Resend's error body `{statusCode, name, message}`.
 *
 * - no key → 401 `missing_api_key`; a key other than `re_test_key` → 403 `invalid_api_key`;
 * - a missing from/to/subject, or neither text nor html → 422 `missing_required_field`; a malformed sender →
 *   422 `invalid_from_address`; a malformed recipient → 422 `validation_error`;
 * - a recipient whose local part is `rate-limited` → 429 `rate_limit_exceeded` with `retry-after: 1`;
 *   `server-error` → 500 `application_error`;
 * - the same idempotency key with the same body → the first answer again (nothing sent twice); with another
 *   body → 409 `invalid_idempotent_request` (resend.com/docs/dashboard/emails/idempotency-keys).
 *
 * `GET /__requests[?contains=…]` lists the accepted sends, oldest first (what a test in workerd cannot see otherwise).
 * Also run by e2e/pipelines.e2e.ts under `wrangler dev`, so it must import nothing but Node and the SDK's fake helpers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { listen, type RunningFake } from '../../../sdk/fake/listen.ts';
import { readRaw } from '../../../sdk/fake/request-log.ts';

export const name = 'resend';

export const API_KEY = 're_test_key';

export interface SentEmail {
  id: string;
  at: string;
  idempotencyKey?: string;
  authorization?: string;
  body: Record<string, unknown>;
}

/** Resend's own loose check of an address, with or without a display name. */
const ADDRESS = /^(?:[^<>]*<)?([^\s@<>]+)@[^\s@<>]+\.[^\s@<>]+>?$/;
const MAX_SENT = 5000;

interface FakeError {
  status: number;
  name: string;
  message: string;
  headers?: Record<string, string>;
}

export async function start(): Promise<RunningFake> {
  const sent: SentEmail[] = [];
  const byKey = new Map<string, { body: string; id: string }>();
  const server = createServer((req, res) => {
    handle(req, res, sent, byKey).catch(() => {
      if (!res.headersSent) sendError(res, { status: 500, name: 'application_error', message: 'fake failed' });
    });
  });
  return listen(server);
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  sent: SentEmail[],
  byKey: Map<string, { body: string; id: string }>,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  if (req.method === 'GET' && url.pathname.endsWith('/__requests')) {
    const contains = url.searchParams.get('contains');
    const matching = contains === null ? sent : sent.filter((entry) => JSON.stringify(entry).includes(contains));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(matching));
    return;
  }
  const raw = (await readRaw(req)).toString('utf8');
  const auth = authenticate(req.headers.authorization);
  if (auth) return sendError(res, auth);
  if (req.method !== 'POST' || url.pathname !== '/emails') {
    return sendError(res, { status: 404, name: 'not_found', message: 'The requested endpoint does not exist.' });
  }
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    body = parsed as Record<string, unknown>;
  } catch {
    return sendError(res, { status: 400, name: 'validation_error', message: 'Invalid JSON body.' });
  }
  const problem = validate(body);
  if (problem) return sendError(res, problem);
  const key = header(req, 'idempotency-key');
  if (key !== undefined) {
    const earlier = byKey.get(key);
    if (earlier && earlier.body !== raw) {
      return sendError(res, {
        status: 409,
        name: 'invalid_idempotent_request',
        message: 'Same idempotency key used with a different request payload. Change your idempotency key or payload.',
      });
    }
    if (earlier) return sendJson(res, 200, { id: earlier.id });
  }
  const id = crypto.randomUUID();
  if (key !== undefined) byKey.set(key, { body: raw, id });
  sent.push({
    id,
    at: new Date().toISOString(),
    body,
    ...(key !== undefined && { idempotencyKey: key }),
    ...(req.headers.authorization !== undefined && { authorization: req.headers.authorization }),
  });
  if (sent.length > MAX_SENT) sent.splice(0, sent.length - MAX_SENT);
  sendJson(res, 200, { id });
}

function authenticate(authorization: string | undefined): FakeError | undefined {
  if (!authorization?.startsWith('Bearer ')) {
    return { status: 401, name: 'missing_api_key', message: 'Missing API key in the authorization header.' };
  }
  if (authorization.slice('Bearer '.length) !== API_KEY) {
    return { status: 403, name: 'invalid_api_key', message: 'API key is invalid' };
  }
  return undefined;
}

function validate(body: Record<string, unknown>): FakeError | undefined {
  const recipients = typeof body.to === 'string' ? [body.to] : Array.isArray(body.to) ? body.to : undefined;
  for (const field of ['from', 'subject'] as const) {
    if (typeof body[field] !== 'string' || body[field] === '') return missing(field);
  }
  if (!recipients || recipients.length === 0) return missing('to');
  if (typeof body.text !== 'string' && typeof body.html !== 'string') return missing('text');
  if (!ADDRESS.test(String(body.from))) {
    return {
      status: 422,
      name: 'invalid_from_address',
      message:
        'Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.',
    };
  }
  // Resend allows at most 50 recipients per email (resend.com/docs/api-reference/emails/send-email).
  if (recipients.length > 50) {
    return { status: 422, name: 'validation_error', message: 'Too many recipients: at most 50 are allowed.' };
  }
  for (const recipient of recipients) {
    const local = typeof recipient === 'string' ? ADDRESS.exec(recipient)?.[1] : undefined;
    if (local === undefined) {
      return {
        status: 422,
        name: 'validation_error',
        message:
          'Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.',
      };
    }
    if (local === 'rate-limited') {
      return {
        status: 429,
        name: 'rate_limit_exceeded',
        message: 'Too many requests. You can only make 2 requests per second.',
        headers: { 'retry-after': '1', 'ratelimit-limit': '2', 'ratelimit-remaining': '0', 'ratelimit-reset': '1' },
      };
    }
    if (local === 'server-error') {
      return { status: 500, name: 'application_error', message: 'An unexpected error occurred.' };
    }
  }
  return undefined;
}

function missing(field: string): FakeError {
  return { status: 422, name: 'missing_required_field', message: `Missing \`${field}\` field.` };
}

function header(req: IncomingMessage, key: string): string | undefined {
  const value = req.headers[key];
  return typeof value === 'string' ? value : undefined;
}

function sendError(res: ServerResponse, error: FakeError): void {
  sendJson(res, error.status, { statusCode: error.status, name: error.name, message: error.message }, error.headers);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

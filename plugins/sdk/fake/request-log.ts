/**
 * What every fake messaging platform (plugins/channels/{telegram,whatsapp,messenger,slack,twilio}/fake/server.ts) answers on
 * `GET …/__requests`: the requests it served, oldest first, so a test (which runs inside workerd and cannot see the
 * fake's memory) can assert what the Worker really sent.
 *
 *   GET <fake url>/__requests                 → RecordedRequest[] (any path ending in /__requests works)
 *   GET <fake url>/__requests?contains=12345  → only requests whose JSON-encoded body contains "12345"
 *
 * There is deliberately no DELETE: test files run in parallel against the same fakes, so each test filters by its
 * own chat id / recipient / channel instead of clearing a shared log. Not a fake/server.ts file, so global-setup does
 * not start it as a server.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Hex SHA-256 of bytes, as the fakes record uploads (`MultipartField.sha256`, raw upload bodies). */
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Multipart parts are summarized: files by size and digest only (audio uploads would bloat the log and the JSON answer); short
 * text fields also keep their value, so tests can find their own chat id in them.
 */
export interface MultipartField {
  name: string;
  size: number;
  value?: string;
  filename?: string;
  contentType?: string;
  /** Hex SHA-256 of an uploaded file's bytes, so a test can assert exactly what arrived without logging it. */
  sha256?: string;
}

export interface RecordedRequest {
  /** ISO-8601 time the fake received the request. */
  at: string;
  method: string;
  /** Path without the query string, e.g. `/bot123:ABC/sendMessage`. */
  path: string;
  query: Record<string, string>;
  headers: { authorization?: string; 'content-type'?: string };
  /**
   * Parsed JSON, form fields (`Record<string, string>`), multipart summary (`MultipartField[]`), a binary body's
   * `{ size, sha256 }`, raw text, or null.
   */
  body: unknown;
}

/** Keeps memory bounded across a whole test run (the spec for these fakes: the last 5,000 requests). */
const MAX_RECORDED = 5000;
/** Longest multipart text field kept verbatim (ids, JSON-encoded recipients). */
const MAX_FIELD_VALUE = 200;

async function parseBody(contentType: string, raw: Buffer): Promise<unknown> {
  if (raw.length === 0) return null;
  const text = raw.toString('utf8');
  if (contentType.startsWith('application/json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  if (contentType.startsWith('multipart/form-data')) {
    const form = await readMultipart(contentType, raw);
    if (!form) return text.slice(0, 200);
    return Promise.all(
      [...form.entries()].map(async ([name, value]): Promise<MultipartField> => {
        if (typeof value === 'string') {
          const size = Buffer.byteLength(value);
          return size <= MAX_FIELD_VALUE ? { name, size, value } : { name, size };
        }
        const sha256 = sha256Hex(new Uint8Array(await value.arrayBuffer()));
        return { name, size: value.size, filename: value.name, contentType: value.type, sha256 };
      }),
    );
  }
  // Raw uploads (Slack's upload URL takes the file's bytes as the body): their size and digest, not the bytes.
  if (contentType && !/^text\/|xml/.test(contentType)) return { size: raw.length, sha256: sha256Hex(raw) };
  return text;
}

/** Parses a multipart body with the platform's own parser (undici's Request), or null when it is malformed. */
export async function readMultipart(contentType: string, raw: Buffer): Promise<FormData | null> {
  try {
    return await new Request('http://fake/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: new Uint8Array(raw),
    }).formData();
  } catch {
    return null;
  }
}

export class RequestLog {
  private readonly entries: RecordedRequest[] = [];

  /** Records a request the fake is about to answer (call it with the full raw body already read). */
  async record(req: IncomingMessage, raw: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const contentType = req.headers['content-type'] ?? '';
    const headers: RecordedRequest['headers'] = {};
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    if (contentType) headers['content-type'] = contentType;
    this.entries.push({
      at: new Date().toISOString(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: await parseBody(contentType, raw),
    });
    if (this.entries.length > MAX_RECORDED) this.entries.splice(0, this.entries.length - MAX_RECORDED);
  }

  /**
   * The first step of every fake's handler: answers `GET …/__requests` itself (→ null), or reads the request's whole
   * body, records the request and returns the body for the fake to answer.
   */
  async intake(req: IncomingMessage, res: ServerResponse): Promise<Buffer | null> {
    if (this.serve(req, res)) return null;
    const raw = await readRaw(req);
    await this.record(req, raw);
    return raw;
  }

  /** Answers `GET …/__requests[?contains=…]` and returns true, or returns false for any other request. */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method !== 'GET' || !url.pathname.endsWith('/__requests')) return false;
    const contains = url.searchParams.get('contains');
    const matching =
      contains === null ? this.entries : this.entries.filter((entry) => JSON.stringify(entry.body).includes(contains));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(matching));
    return true;
  }
}

/** Reads the whole request body. */
export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

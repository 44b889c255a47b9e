/**
 * A fake HTTP API with an OpenAPI spec, plus an OAuth 2 token endpoint, on loopback, for worker/custom-actions'
 * tests and e2e/custom-actions.e2e.ts. `GET /openapi.yaml` serves the spec (./spec.ts). Operations: path, query,
 * header and JSON-body parameters (`/pets…`), the auth schemes (`/secure/…`, secrets below), a file with a
 * Content-Disposition filename, uploads (`/uploads/form` multipart, `/uploads/raw` one file as the body) echoed as
 * what arrived (per part: name, filename, content type, byte length and SHA-256), a 50 MB stream that records how
 * much was really sent, and redirects to private addresses. `/oauth/token` issues short-lived tokens per client and counts requests (`/oauth/stats?client=`);
 * `POST /oauth/revoke?client=` invalidates a client's tokens, so the next call answers 401.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen, type RunningFake } from '../../../plugins/sdk/fake/listen.ts';
import { specYaml } from './spec.ts';

export const name = 'customActions';
export const API_KEY = 'key-secret-0b7f';
export const BEARER_TOKEN = 'bearer-secret-91ac';
export const BASIC_USER = 'alice';
export const BASIC_PASSWORD = 'basic-secret-5d2e';
export const OAUTH_SECRET = 'oauth-client-secret-77aa';
/** Seconds a token lives: short, so a test sees it refreshed. */
export const TOKEN_EXPIRES_IN = 2;
export const HUGE_BYTES = 50 * 1024 * 1024;
export const REPORT_BYTES = Buffer.from('%PDF-1.4\n% fake report\n%%EOF\n');

interface ClientState {
  tokenRequests: number;
  valid: Map<string, number>;
}
const clients = new Map<string, ClientState>();
const hugeSent = new Map<string, number>();
let tokenCounter = 0;

/** Answers JSON; returns `true` so a handler can `return json(…)`. */
const json = (res: ServerResponse, status: number, body: unknown): true => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  return true;
};

async function readBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const readBody = async (req: IncomingMessage): Promise<string> => (await readBytes(req)).toString('utf8');

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A part (or a raw body) as the upload echo describes it. */
export interface EchoedPart {
  name?: string;
  filename?: string | null;
  contentType: string | null;
  size: number;
  sha256: string;
}

/** Parses a multipart body with the Web `Request.formData()` (undici's RFC 7578 parser) and describes each part. */
async function echoUpload(req: IncomingMessage, res: ServerResponse, raw: boolean): Promise<true> {
  const bytes = await readBytes(req);
  const contentType = req.headers['content-type'] ?? null;
  if (raw) return json(res, 200, { contentType, size: bytes.byteLength, sha256: sha256(bytes) });
  let form: FormData;
  try {
    form = await new Request('http://fake/', {
      method: 'POST',
      headers: { 'content-type': contentType ?? '' },
      body: new Uint8Array(bytes),
    }).formData();
  } catch (error) {
    return json(res, 400, { error: `not a multipart body: ${String(error)}` });
  }
  const parts: EchoedPart[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      const text = Buffer.from(value, 'utf8');
      parts.push({ name, filename: null, contentType: null, size: text.byteLength, sha256: sha256(text) });
    } else {
      const content = new Uint8Array(await value.arrayBuffer());
      parts.push({
        name,
        filename: value.name,
        contentType: value.type,
        size: content.byteLength,
        sha256: sha256(content),
      });
    }
  }
  return json(res, 200, { contentType, parts });
}

function issueToken(req: IncomingMessage, res: ServerResponse, form: URLSearchParams): true {
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const [clientId, secret] = basic
    ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent)
    : [form.get('client_id') ?? '', form.get('client_secret') ?? ''];
  const state = clients.get(clientId ?? '') ?? { tokenRequests: 0, valid: new Map() };
  clients.set(clientId ?? '', state);
  state.tokenRequests++;
  if (form.get('grant_type') !== 'client_credentials') return json(res, 400, { error: 'unsupported_grant_type' });
  if (secret !== OAUTH_SECRET) return json(res, 401, { error: 'invalid_client' });
  const token = `tok-${++tokenCounter}-${clientId}`;
  state.valid.set(token, Date.now() + TOKEN_EXPIRES_IN * 1000);
  return json(res, 200, {
    access_token: token,
    token_type: 'Bearer',
    expires_in: TOKEN_EXPIRES_IN,
    scope: form.get('scope'),
  });
}

function oauthOk(req: IncomingMessage): boolean {
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const client = token.split('-').slice(2).join('-');
  const expires = clients.get(client)?.valid.get(token);
  return expires !== undefined && expires > Date.now();
}

async function streamHuge(res: ServerResponse, id: string): Promise<true> {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(HUGE_BYTES) });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let sent = 0;
  let closed = false;
  const gone = new Promise<void>((resolve) =>
    res.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  while (sent < HUGE_BYTES && !closed) {
    sent += chunk.byteLength;
    hugeSent.set(id, sent);
    if (!res.write(chunk)) await Promise.race([new Promise<void>((resolve) => res.once('drain', resolve)), gone]);
  }
  res.end();
  return true;
}

async function handle(req: IncomingMessage, res: ServerResponse, base: string): Promise<unknown> {
  const url = new URL(req.url ?? '/', base);
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (path === '/openapi.yaml') {
    res.writeHead(200, { 'content-type': 'application/yaml' }).end(specYaml(base));
    return;
  }
  if (path === '/page.html') {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html>not a spec</html>');
    return;
  }
  if (path === '/oauth/token' && method === 'POST')
    return issueToken(req, res, new URLSearchParams(await readBody(req)));
  if (path === '/oauth/stats')
    return json(res, 200, { tokenRequests: clients.get(url.searchParams.get('client') ?? '')?.tokenRequests ?? 0 });
  if (path === '/oauth/revoke' && method === 'POST') {
    clients.get(url.searchParams.get('client') ?? '')?.valid.clear();
    return json(res, 200, { revoked: true });
  }
  const pet = /^\/pets\/([^/]+)$/.exec(path);
  if (pet && method === 'GET')
    return json(res, 200, {
      id: decodeURIComponent(pet[1] ?? ''),
      verbose: url.searchParams.get('verbose'),
      trace: req.headers['x-trace'] ?? null,
    });
  if (path === '/pets' && method === 'POST') {
    const body = JSON.parse((await readBody(req)) || 'null') as unknown;
    return json(res, 201, { created: body, contentType: req.headers['content-type'] });
  }
  if (path === '/secure/key' || path === '/secure/leaky') {
    const key = req.headers['x-api-key'] ?? url.searchParams.get('api_key');
    if (key !== API_KEY) return json(res, 401, { error: 'bad key' });
    return json(res, 200, path === '/secure/leaky' ? { youSent: key } : { ok: 'key' });
  }
  if (path === '/secure/bearer')
    return req.headers.authorization === `Bearer ${BEARER_TOKEN}`
      ? json(res, 200, { ok: 'bearer' })
      : json(res, 401, { error: 'bad token' });
  if (path === '/secure/basic') {
    const expected = `Basic ${Buffer.from(`${BASIC_USER}:${BASIC_PASSWORD}`).toString('base64')}`;
    return req.headers.authorization === expected ? json(res, 200, { ok: 'basic' }) : json(res, 401, { error: 'no' });
  }
  if (path === '/secure/oauth') return oauthOk(req) ? json(res, 200, { ok: 'oauth' }) : json(res, 401, { error: 'no' });
  if (path === '/files/report') {
    res
      .writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="report.pdf"' })
      .end(REPORT_BYTES);
    return;
  }
  if (path === '/uploads/form' && method === 'POST') return echoUpload(req, res, false);
  if (path === '/uploads/raw' && method === 'PUT') return echoUpload(req, res, true);
  if (path === '/huge') return streamHuge(res, url.searchParams.get('id') ?? 'default');
  if (path === '/huge/stats')
    return json(res, 200, { sent: hugeSent.get(url.searchParams.get('id') ?? 'default') ?? 0 });
  if (path === '/redirect/loopback') {
    res.writeHead(302, { location: `${base}/pets/redirected` }).end();
    return;
  }
  if (path === '/redirect/metadata') {
    res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    return;
  }
  if (path === '/health') return json(res, 200, { ok: true });
  if (path === '/health/down') return json(res, 503, { ok: false });
  return json(res, 404, { error: `no route ${method} ${path}` });
}

export async function start(port = 0): Promise<RunningFake> {
  let base = '';
  const server = createServer((req, res) => {
    handle(req, res, base).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  if (port === 0) {
    const running = await listen(server);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return running;
  }
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

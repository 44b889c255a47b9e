/**
 * A fake Slack Web API on loopback: `POST /api/chat.postMessage` and `/api/chat.update` with `Authorization: Bearer
 * xoxb-test` and a JSON body. Like Slack it answers HTTP 200 `{ ok: false, error }` for method errors
 * (`invalid_auth`, `channel_not_found`, `no_text`, `msg_too_long` over 40,000 chars) and HTTP 429 with `Retry-After`
 * for rate limits. Channels pick errors: `C-RATELIMITED` (429), `C-MISSING` (channel_not_found), `C-500` (HTTP 500).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const name = 'slack';

const TOKEN = 'xoxb-test';

function json(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

let ts = 1700000000;

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://fake').pathname;
  const raw = await readBody(req);
  const method = path.replace(/^\/api\//, '');
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
    return json(res, 200, { ok: true, channel: body.channel, ts: body.ts, text: body.text });
  }
  ts++;
  const message = {
    type: 'message',
    text: body.text,
    ts: `${ts}.000100`,
    ...(body.thread_ts ? { thread_ts: body.thread_ts } : {}),
  };
  return json(res, 200, { ok: true, channel: body.channel, ts: message.ts, message });
}

export async function start(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    handle(req, res).catch(() => json(res, 500, { ok: false, error: 'fatal_error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * A fake HTTP API on loopback for the HTTP request node, the code node's `http` helper and the outbound-fetch guard
 * (test/global-setup.ts starts it as `http-echo`). Routes:
 *
 *   ANY  /echo            → 200 JSON { method, path, query, headers, body } of the request (body as text)
 *   GET  /text            → 200 text/plain "plain words"
 *   ANY  /status/<code>   → that status with JSON { status } (and `retry-after: 1` on 429)
 *   ANY  /redirect/<n>    → 302 to /redirect/<n-1>, and /redirect/0 → /echo; `?to=<url>` redirects there instead,
 *                           `?code=307` picks the status
 *   GET  /big             → 300 KB of JSON (past the HTTP node's 256 KB bound)
 *   GET  /slow            → answers after 2 s
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen, type RunningFake } from '../../../sdk/fake/listen.ts';

export const name = 'http-echo';

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-fake': 'http-echo', ...headers });
  response.end(JSON.stringify(body));
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake');
  const body = await readBody(request);
  const path = url.pathname;
  if (path === '/echo') {
    json(response, 200, {
      method: request.method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      body,
    });
    return;
  }
  if (path === '/text') {
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('plain words');
    return;
  }
  const status = /^\/status\/(\d{3})$/.exec(path);
  if (status?.[1]) {
    const code = Number(status[1]);
    json(response, code, { status: code }, code === 429 ? { 'retry-after': '1' } : {});
    return;
  }
  const redirect = /^\/redirect\/(\d+)$/.exec(path);
  if (redirect?.[1]) {
    const left = Number(redirect[1]);
    const target = url.searchParams.get('to') ?? (left > 0 ? `/redirect/${left - 1}${url.search}` : '/echo');
    response.writeHead(Number(url.searchParams.get('code') ?? 302), { location: target });
    response.end();
    return;
  }
  if (path === '/big') {
    json(response, 200, { filler: 'x'.repeat(300 * 1024) });
    return;
  }
  if (path === '/slow') {
    setTimeout(() => json(response, 200, { slow: true }), 2_000);
    return;
  }
  json(response, 404, { error: `no route ${path}` });
}

export async function start(): Promise<RunningFake> {
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => json(response, 500, { error: String(error) }));
  });
  return listen(server);
}

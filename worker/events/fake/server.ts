/// <reference types="node" />
/**
 * A webhook receiver for the events tests (test/global-setup.ts starts it): it keeps what a webhook action sent, as
 * a receiver verifying Parley's signatures would see it.
 *   POST /hooks/<key>[?status=<code>] → that status (200 by default); the request is kept under <key>
 *   GET  /__received/<key>           → JSON [{ headers, body }] of what <key> received, oldest first
 * Each test uses a key of its own: the fake is shared by test files running in parallel.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export const name = 'webhook-receiver';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

// Bounded: a test run sends a handful per key; the cap keeps a runaway retry loop from growing the fake.
const MAX_PER_KEY = 100;

export async function start(): Promise<{ url: string; close(): Promise<void> }> {
  const received = new Map<string, Received[]>();
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const hook = /^\/hooks\/([\w-]+)$/.exec(url.pathname);
    if (hook?.[1] && request.method === 'POST') {
      const list = received.get(hook[1]) ?? [];
      if (list.length < MAX_PER_KEY) list.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
      received.set(hook[1], list);
      response.writeHead(Number(url.searchParams.get('status') ?? 200), { 'content-type': 'application/json' });
      response.end('{"received":true}');
      return;
    }
    const read = /^\/__received\/([\w-]+)$/.exec(url.pathname);
    if (read?.[1]) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(received.get(read[1]) ?? []));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

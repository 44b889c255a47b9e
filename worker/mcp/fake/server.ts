/**
 * A real MCP server (the SDK's McpServer over streamable HTTP, stateless) on loopback, for worker/mcp's tests and
 * e2e/mcp.e2e.ts. Tools: `echo` (text), `count_slowly` (progress notifications, then a long result), `fail`
 * (an `isError` result), `add` (structured output with an output schema), `picture` (an image, which the client summarises). Under `/secure/mcp` the same tools
 * answer only with `authorization: Bearer ${SECURE_TOKEN}`. Under `/log/<key>/mcp` the same tools, and each JSON-RPC
 * method is recorded under `<key>` (and each progress notification `count_slowly` sends, as
 * `notifications/progress (sent)`): `GET /log/<key>` answers the list, so a test sees what its client asked
 * (e.g. that a turn did not re-list tools). Under `/oauth/mcp` a token from the fake OAuth server is needed
 * (worker/mcp/fake/oauth.ts); under `/authcode/mcp` too, with the authorization code flow's metadata and endpoints
 * (worker/mcp/fake/authorization-server.ts). `GET /sse` is the older HTTP+SSE transport (stream there, messages POSTed to
 * `/sse/messages?sessionId=…`), for servers that never moved to streamable HTTP.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { listen, type RunningFake } from '../../../plugins/sdk/fake/listen.ts';
import { handleAuthorizationServer, PROTECTED_PATH } from './authorization-server.ts';
import { handleOAuth, validAccessToken } from './oauth.ts';

export const name = 'mcp';
export const SECURE_TOKEN = 'mcp-test-token';
/** `count_slowly`'s result length: longer than the client keeps (worker/mcp/results.ts MAX_RESULT_CHARS). */
export const LONG_RESULT_CHARS = 40_000;

/** `logKey`: the log a `/log/<key>/mcp` request records into; `count_slowly` adds each progress notification it sends. */
function mcpServer(logKey?: string): McpServer {
  const server = new McpServer({ name: 'parley-fake', version: '1.0.0' });
  server.registerTool(
    'echo',
    { description: 'Echoes the text back', inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: 'text', text: `echo: ${text}` }] }),
  );
  server.registerTool(
    'count_slowly',
    { description: 'Counts to n, reporting progress', inputSchema: { n: z.number().int().min(1).max(10) } },
    async ({ n }, extra) => {
      const token = extra._meta?.progressToken;
      for (let i = 1; i <= n; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (token === undefined) continue;
        await extra.sendNotification({
          method: 'notifications/progress',
          params: { progressToken: token, progress: i, total: n },
        });
        if (logKey) record(logKey, { method: 'notifications/progress (sent)' });
      }
      return { content: [{ type: 'text', text: `counted to ${n} ${'.'.repeat(LONG_RESULT_CHARS)}` }] };
    },
  );
  // Structured output: the client validates `structuredContent` against the output schema, which is where the SDK's
  // default validator (ajv) compiles code with `new Function` (refused under wrangler dev and deployed).
  server.registerTool(
    'add',
    {
      description: 'Adds two numbers',
      inputSchema: { a: z.number(), b: z.number() },
      outputSchema: { sum: z.number() },
    },
    async ({ a, b }) => ({
      content: [{ type: 'text', text: JSON.stringify({ sum: a + b }) }],
      structuredContent: { sum: a + b },
    }),
  );
  server.registerTool('fail', { description: 'Always fails' }, async () => ({
    isError: true,
    content: [{ type: 'text', text: 'the database is on fire' }],
  }));
  server.registerTool('picture', { description: 'Returns a picture' }, async () => ({
    content: [
      { type: 'text', text: 'here it is' },
      { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
    ],
  }));
  return server;
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Methods asked per log key; a test's key is random, so parallel test files never share one. */
const logs = new Map<string, string[]>();
/** Keys kept: the fake runs for the whole test run, and each test makes one or two keys. */
const MAX_LOG_KEYS = 1_000;

function record(key: string, body: unknown): void {
  if (!logs.has(key) && logs.size >= MAX_LOG_KEYS) logs.delete(logs.keys().next().value as string);
  const list = logs.get(key) ?? [];
  for (const message of Array.isArray(body) ? body : [body]) {
    if (message && typeof message === 'object' && 'method' in message) list.push(String(message.method));
  }
  logs.set(key, list);
}

/** Open HTTP+SSE sessions by id; each ends when its stream closes. */
const sseSessions = new Map<string, SSEServerTransport>();

async function handleSse(req: IncomingMessage, res: ServerResponse, url: URL, text: string): Promise<boolean> {
  if (url.pathname === '/sse' && req.method === 'GET') {
    const server = mcpServer();
    const transport = new SSEServerTransport('/sse/messages', res);
    sseSessions.set(transport.sessionId, transport);
    res.on('close', () => {
      sseSessions.delete(transport.sessionId);
      void server.close();
    });
    await server.connect(transport);
    return true;
  }
  if (url.pathname === '/sse/messages' && req.method === 'POST') {
    const transport = sseSessions.get(url.searchParams.get('sessionId') ?? '');
    if (!transport) res.writeHead(404).end('unknown session');
    else await transport.handlePostMessage(req, res, text ? JSON.parse(text) : undefined);
    return true;
  }
  return false;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const path = url.pathname;
  const text = await readText(req);
  if (handleAuthorizationServer(req, res, text)) return;
  if (handleOAuth(req, res, text)) return;
  if (await handleSse(req, res, url, text)) return;
  const logged = /^\/log\/([\w-]{1,64})(\/mcp)?$/.exec(path);
  if (logged?.[1] && !logged[2]) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(logs.get(logged[1]) ?? []));
    return;
  }
  if (path !== '/mcp' && path !== '/secure/mcp' && path !== '/oauth/mcp' && path !== PROTECTED_PATH && !logged) {
    res.writeHead(404).end();
    return;
  }
  if ((path === '/oauth/mcp' || path === PROTECTED_PATH) && !validAccessToken(req.headers.authorization)) {
    // RFC 9728 §5.1: the 401 names the protected-resource metadata, where a client discovers the authorization server.
    const metadata = `http://${req.headers.host}/.well-known/oauth-protected-resource${path}`;
    res
      .writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': `Bearer error="invalid_token", resource_metadata="${metadata}"`,
      })
      .end('{"error":"invalid_token"}');
    return;
  }
  if (path === '/secure/mcp' && req.headers.authorization !== `Bearer ${SECURE_TOKEN}`) {
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
    return;
  }
  if (req.method !== 'POST') {
    // Stateless: no standalone SSE stream and no sessions to delete.
    res.writeHead(405, { allow: 'POST' }).end();
    return;
  }
  const body: unknown = text ? JSON.parse(text) : undefined;
  if (logged?.[1]) record(logged[1], body);
  const server = mcpServer(logged?.[1]);
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}

export async function start(port = 0): Promise<RunningFake> {
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  if (port === 0) return listen(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

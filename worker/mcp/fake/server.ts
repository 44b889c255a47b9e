/**
 * A real MCP server (the SDK's McpServer over streamable HTTP, stateless) on loopback, for worker/mcp's tests and
 * e2e/mcp.e2e.ts. Tools: `echo` (text), `count_slowly` (progress notifications, then a long result), `fail`
 * (an `isError` result), `picture` (an image, which the client summarises). Under `/secure/mcp` the same tools
 * answer only with `authorization: Bearer ${SECURE_TOKEN}`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { listen, type RunningFake } from '../../../plugins/sdk/fake/listen.ts';

export const name = 'mcp';
export const SECURE_TOKEN = 'mcp-test-token';
/** `count_slowly`'s result length: longer than the client keeps (worker/mcp/results.ts MAX_RESULT_CHARS). */
export const LONG_RESULT_CHARS = 40_000;

function mcpServer(): McpServer {
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
        if (token !== undefined)
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken: token, progress: i, total: n },
          });
      }
      return { content: [{ type: 'text', text: `counted to ${n} ${'.'.repeat(LONG_RESULT_CHARS)}` }] };
    },
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

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://fake').pathname;
  if (path !== '/mcp' && path !== '/secure/mcp') {
    res.writeHead(404).end();
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
  const server = mcpServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, await readBody(req));
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

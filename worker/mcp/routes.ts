import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../auth/middleware.ts';
import { database } from '../db/client.ts';
import { createRouter } from '../http/app.ts';
import { notFound } from '../http/errors.ts';
import { errorResponses, idParam } from '../http/schemas.ts';
import { MAX_TOOLS_PER_SERVER, refreshTools } from './list-tools.ts';
import {
  createServer,
  deleteServer,
  getServer,
  listServers,
  type McpAuth,
  sealAuth,
  updateServer,
  viewOf,
} from './store.ts';

/** Header names and values as HTTP allows them; 20 headers is more than any MCP server's auth needs. */
const headerName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'not a valid header name')
  .refine((name) => !['host', 'content-length', 'content-type', 'accept'].includes(name.toLowerCase()), {
    message: 'this header is set by the client',
  });
const headerValue = z.string().min(1).max(4_000);
const httpUrl = z
  .string()
  .max(2_000)
  .url()
  .refine((value) => /^https?:$/.test(new URL(value).protocol), 'only http and https URLs');
// RFC 6749 §3.3 scope tokens: printable ASCII without space, quote or backslash.
const scopes = z
  .array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,200}$/, 'not a valid scope'))
  .max(20)
  .optional();
const url = httpUrl.openapi({ example: 'https://mcp.example.com/mcp' });
const Auth = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('none') }),
    z.strictObject({
      kind: z.literal('headers'),
      headers: z
        .record(headerName, headerValue)
        .refine((h) => Object.keys(h).length >= 1 && Object.keys(h).length <= 20, 'between 1 and 20 headers'),
    }),
    z.strictObject({ kind: z.literal('bearer'), token: z.string().min(1).max(4_000) }),
    z.strictObject({
      kind: z.literal('oauth2_client_credentials'),
      tokenUrl: httpUrl.describe('The OAuth 2 token endpoint (client credentials grant, client_secret_basic)'),
      clientId: z.string().min(1).max(500),
      clientSecret: z.string().min(1).max(4_000),
      scopes,
    }),
    z.strictObject({
      kind: z.literal('oauth2_authorization_code'),
      scopes,
      clientId: z.string().min(1).max(500).optional().describe('A pre-registered client; absent: dynamic registration'),
      clientSecret: z.string().min(1).max(4_000).optional(),
    }),
  ])
  .describe('How to authenticate: values are sealed at rest and never returned')
  .openapi('McpServerAuth', { example: { kind: 'none' } });

const transport = z.enum(['streamable-http', 'sse']).describe('Streamable HTTP, or HTTP+SSE for older servers');
const toolName = z.string().min(1).max(128);

const McpTool = z.object({ name: z.string(), description: z.string(), inputSchema: z.record(z.string(), z.unknown()) });
const McpServer = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    transport,
    auth: z.object({
      kind: z.enum(['none', 'headers', 'bearer', 'oauth2_client_credentials', 'oauth2_authorization_code']),
      headerNames: z.array(z.string()).optional().describe('Names of the stored headers; values never returned'),
      tokenUrl: z.string().optional().describe('OAuth: the token endpoint'),
      clientId: z.string().optional().describe('OAuth: the client id (the secret is never returned)'),
      scopes: z.array(z.string()).optional(),
      connected: z
        .boolean()
        .optional()
        .describe('Authorization code flow: whether someone signed in (POST …/oauth/start); tokens never returned'),
    }),
    allowedTools: z.array(z.string()).describe('Tools a chatbot naming `mcp:<id>` may call'),
    tools: z.array(McpTool).nullable().describe("The server's tools as last listed (null: never listed)"),
    toolsRefreshedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('McpServer');

const CreateServer = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    url,
    transport: transport.default('streamable-http'),
    auth: Auth.default({ kind: 'none' }),
    allowedTools: z.array(toolName).max(MAX_TOOLS_PER_SERVER).default([]),
  })
  .openapi('CreateMcpServer');
const UpdateServer = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    url: url.optional(),
    transport: transport.optional(),
    auth: Auth.optional(),
    allowedTools: z.array(toolName).max(MAX_TOOLS_PER_SERVER).optional(),
  })
  .openapi('UpdateMcpServer');
const RefreshResult = z.object({ ok: z.boolean(), message: z.string(), server: McpServer }).openapi('McpServerRefresh');

/** What the dashboard reads and sends (dashboard/src/views/mcp-servers/). */
export type McpServerInfo = z.infer<typeof McpServer>;
export type McpServerRefresh = z.infer<typeof RefreshResult>;
export type McpServerAuthInput = z.infer<typeof Auth>;
export type McpServerCreate = z.input<typeof CreateServer>;

const params = z.object({ id: idParam('id', 'mcp_…') });
const json = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });
const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema } } });

/** MCP servers: remote tool sources a team's chatbots may call (docs/mcp.md). */
export const mcpServerRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/mcp-servers',
      tags: ['Tools'],
      summary: "List the team's MCP servers, newest first (at most 50; secrets never included)",
      middleware: [requireApiKey('read')] as const,
      responses: { 200: json('The servers', z.object({ data: z.array(McpServer) })), ...errorResponses },
    }),
    async (c) => {
      const rows = await listServers(database(c.env.DB), c.var.auth.teamId);
      return c.json({ data: await Promise.all(rows.map((row) => viewOf(c.env, row))) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/mcp-servers',
      tags: ['Tools'],
      summary: 'Add an MCP server (auth sealed at rest, never returned); list its tools with …/tools/refresh',
      middleware: [requireApiKey('admin')] as const,
      request: { body: body(CreateServer) },
      responses: { 201: json('Created', McpServer), ...errorResponses },
    }),
    async (c) => {
      const input = c.req.valid('json') as z.infer<typeof CreateServer>;
      const row = await createServer(c.env, database(c.env.DB), c.var.auth.teamId, input);
      return c.json(await viewOf(c.env, row), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/mcp-servers/{id}',
      tags: ['Tools'],
      summary: 'Get one MCP server with its cached tools',
      middleware: [requireApiKey('read')] as const,
      request: { params },
      responses: { 200: json('The server', McpServer), ...errorResponses },
    }),
    async (c) => {
      const row = await getServer(database(c.env.DB), c.var.auth.teamId, c.req.valid('param').id);
      if (!row) throw notFound('MCP server');
      return c.json(await viewOf(c.env, row), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/mcp-servers/{id}',
      tags: ['Tools'],
      summary: 'Change a server: name, URL, transport, auth (replaced whole) or the allowed tools',
      middleware: [requireApiKey('admin')] as const,
      request: { params, body: body(UpdateServer) },
      responses: { 200: json('The server', McpServer), ...errorResponses },
    }),
    async (c) => {
      const { teamId } = c.var.auth;
      const db = database(c.env.DB);
      const id = c.req.valid('param').id;
      const patch = c.req.valid('json') as z.infer<typeof UpdateServer>;
      if (!(await getServer(db, teamId, id))) throw notFound('MCP server');
      const auth = patch.auth as McpAuth | undefined;
      await updateServer(db, teamId, id, {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.url !== undefined && { url: patch.url }),
        ...(patch.transport !== undefined && { transport: patch.transport }),
        ...(auth !== undefined && { authKind: auth.kind, sealedAuth: await sealAuth(c.env, teamId, id, auth) }),
        ...(patch.allowedTools !== undefined && { allowedTools: JSON.stringify(patch.allowedTools) }),
        updatedAt: Date.now(),
      });
      const row = await getServer(db, teamId, id);
      if (!row) throw notFound('MCP server');
      return c.json(await viewOf(c.env, row), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/mcp-servers/{id}',
      tags: ['Tools'],
      summary: 'Delete an MCP server; chatbots naming it fail their definition checks until changed',
      middleware: [requireApiKey('admin')] as const,
      request: { params },
      responses: { 204: { description: 'Deleted' }, ...errorResponses },
    }),
    async (c) => {
      if (!(await deleteServer(database(c.env.DB), c.var.auth.teamId, c.req.valid('param').id)))
        throw notFound('MCP server');
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/mcp-servers/{id}/tools/refresh',
      tags: ['Tools'],
      summary: "Test the connection and list the server's tools into the cache",
      description: 'Answers 200 either way; `ok` says whether the server answered `tools/list`.',
      middleware: [requireApiKey('admin')] as const,
      request: { params },
      responses: { 200: json('Outcome', RefreshResult), ...errorResponses },
    }),
    async (c) => {
      const { teamId } = c.var.auth;
      const db = database(c.env.DB);
      const id = c.req.valid('param').id;
      const row = await getServer(db, teamId, id);
      if (!row) throw notFound('MCP server');
      let ok = true;
      let message: string;
      try {
        const tools = await refreshTools(c.env, db, row);
        message = `Connected: ${tools.length} tools`;
      } catch (error) {
        ok = false;
        // The guard's and the SDK's messages name the URL without its query, never a header value.
        message = error instanceof Error ? error.message.slice(0, 300) : 'The server did not answer';
      }
      const fresh = (await getServer(db, teamId, id)) ?? row;
      return c.json({ ok, message, server: await viewOf(c.env, fresh) }, 200);
    },
  );

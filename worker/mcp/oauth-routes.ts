import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../auth/middleware.ts';
import { database } from '../db/client.ts';
import { createRouter } from '../http/app.ts';
import { notFound } from '../http/errors.ts';
import { errorResponses, idParam } from '../http/schemas.ts';
import { CALLBACK_PATH, completeAuthorization, startAuthorization } from './authorization-code.ts';
import { getServer } from './store.ts';

const StartResult = z
  .object({ authorizationUrl: z.string().describe("Open this in the person's browser to sign in") })
  .openapi('McpOAuthStart');

/** What the dashboard reads (dashboard/src/views/mcp-servers/McpServerItem.tsx). */
export type McpOAuthStart = z.infer<typeof StartResult>;

/** The public origin the authorization server sends the browser back to (PUBLIC_URL behind a tunnel or proxy). */
const publicOrigin = (publicUrl: string | undefined, requestUrl: string) => new URL(publicUrl || requestUrl).origin;

/** The OAuth authorization code flow of an MCP server (docs/mcp.md, "OAuth authorization code"). */
export const mcpOAuthRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/mcp-servers/{id}/oauth/start',
      tags: ['Tools'],
      summary: 'Start the OAuth authorization code flow: answers the URL where a person signs in (valid 10 minutes)',
      middleware: [requireApiKey('admin')] as const,
      request: { params: z.object({ id: idParam('id', 'mcp_…') }) },
      responses: {
        200: { description: 'Where to sign in', content: { 'application/json': { schema: StartResult } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const db = database(c.env.DB);
      const row = await getServer(db, c.var.auth.teamId, c.req.valid('param').id);
      if (!row) throw notFound('MCP server');
      const origin = publicOrigin(c.env.PUBLIC_URL, c.req.url);
      return c.json({ authorizationUrl: await startAuthorization(c.env, db, row, origin) }, 200);
    },
  )
  .openapi(
    createRoute({
      // Public by design: the authorization server redirects the person's browser here, which carries no API key.
      // The sealed, single-use, 10-minute `state` authenticates the request instead.
      security: [],
      method: 'get',
      path: CALLBACK_PATH,
      tags: ['Tools'],
      summary: 'OAuth redirect URI: exchanges the code (PKCE), stores the tokens sealed, returns to the dashboard',
      request: {
        query: z.object({
          // Authorization codes and our sealed state are short; these caps only stop a huge query early.
          code: z.string().min(1).max(2_000),
          state: z.string().min(1).max(1_000),
        }),
      },
      responses: { 302: { description: 'Connected: back to the dashboard' }, ...errorResponses },
    }),
    async (c) => {
      const { code, state } = c.req.valid('query');
      await completeAuthorization(c.env, database(c.env.DB), code, state);
      return c.redirect('/#/mcp-servers', 302);
    },
  );

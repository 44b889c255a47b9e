import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../auth/middleware.ts';
import { conversationStub } from '../conversation/stub.ts';
import { createRouter } from '../http/app.ts';
import { ApiError } from '../http/errors.ts';
import { errorResponses, idParam } from '../http/schemas.ts';
import { conversationMeta, loadConversation } from './lookup.ts';

const params = z.object({ id: idParam('id', 'conv_…') });
const after = z.object({
  after: z.coerce.number().int().min(0).optional().openapi({ description: 'Replay events after this seq' }),
});

const socketQuery = after.extend({
  nodeEvents: z.enum(['true', 'false']).optional().openapi({
    description:
      'true: this socket also carries pipeline node progress (node.* events, live and replayed). Off by default: a chat client that does not show progress gets its first token sooner',
  }),
});

/** Live views of a conversation: Server-Sent Events, WebSocket, and cancelling the reply in progress. */
export const conversationStreamRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/conversations/{id}/events',
      tags: ['Conversations'],
      summary: 'Follow a conversation as Server-Sent Events; resume with Last-Event-ID or ?after=<seq>',
      middleware: [requireApiKey('read')] as const,
      request: {
        params,
        query: after,
        headers: z.object({ 'last-event-id': z.string().regex(/^\d+$/).optional() }),
      },
      responses: {
        200: { description: 'Event stream', content: { 'text/event-stream': { schema: z.string() } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const conversation = await loadConversation(c.env, c.var.auth.teamId, c.req.valid('param').id);
      const from = c.req.valid('header')['last-event-id'] ?? String(c.req.valid('query').after ?? 0);
      return conversationStub(c.env, conversation.id).fetch(`https://conversation/events?after=${from}`);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/conversations/{id}/ws',
      tags: ['Conversations'],
      summary:
        'Open a WebSocket: events as JSON frames; send message.send, resume and cancel frames (docs/protocol.md)',
      middleware: [requireApiKey('chat')] as const,
      request: { params, query: socketQuery },
      responses: {
        101: { description: 'Switching protocols' },
        ...errorResponses,
        426: { description: 'Not a WebSocket upgrade' },
      },
    }),
    async (c) => {
      if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
        throw new ApiError(426, 'upgrade_required', 'Expected a WebSocket upgrade (Upgrade: websocket)');
      }
      const conversation = await loadConversation(c.env, c.var.auth.teamId, c.req.valid('param').id);
      const headers = new Headers(c.req.raw.headers);
      headers.set('x-parley-meta', JSON.stringify(conversationMeta(conversation)));
      const query = c.req.valid('query');
      const progress = query.nodeEvents === 'true' ? '&nodeEvents=true' : '';
      return conversationStub(c.env, conversation.id).fetch(
        `https://conversation/ws?after=${query.after ?? 0}${progress}`,
        {
          headers,
        },
      );
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/conversations/{id}/cancel',
      tags: ['Conversations'],
      summary: 'Stop the reply being generated; the partial answer is stored with status "stopped"',
      middleware: [requireApiKey('chat')] as const,
      request: { params },
      responses: {
        200: {
          description: 'Whether a reply was running',
          content: {
            'application/json': { schema: z.object({ cancelled: z.boolean(), turnId: z.string().nullable() }) },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const conversation = await loadConversation(c.env, c.var.auth.teamId, c.req.valid('param').id);
      return c.json(await conversationStub(c.env, conversation.id).cancel(), 200);
    },
  );

import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../auth/middleware.ts';
import { conversationStub } from '../conversation/stub.ts';
import { createRouter } from '../http/app.ts';
import { ApiError } from '../http/errors.ts';
import { errorResponses, idParam } from '../http/schemas.ts';
import { loadConversation } from './lookup.ts';
import { MessageTraceSchema } from './trace-schemas.ts';

export const messageTraceRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/conversations/{id}/messages/{messageId}/trace',
    tags: ['Conversations'],
    summary: 'Why this reply: the pipeline run that sent a message, node by node',
    description:
      'The path taken, and each node’s input and output (bounded), duration, attempts, tokens and error. 404 for a message no run sent.',
    middleware: [requireApiKey('read')] as const,
    request: { params: z.object({ id: idParam('id', 'conv_…'), messageId: idParam('messageId', 'msg_…') }) },
    responses: {
      200: { description: 'The trace', content: { 'application/json': { schema: MessageTraceSchema } } },
      ...errorResponses,
    },
  }),
  async (c) => {
    const { teamId } = c.var.auth;
    const { id, messageId } = c.req.valid('param');
    const conversation = await loadConversation(c.env, teamId, id);
    const trace = await conversationStub(c.env, conversation.id).runTrace(messageId);
    if (!trace) throw new ApiError(404, 'not_found', 'No pipeline run sent this message');
    return c.json(trace, 200);
  },
);

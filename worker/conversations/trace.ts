import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../auth/middleware.ts';
import { conversationStub } from '../conversation/stub.ts';
import { createRouter } from '../http/app.ts';
import { ApiError } from '../http/errors.ts';
import { errorResponses, idParam } from '../http/schemas.ts';
import { loadConversation } from './lookup.ts';

const TraceNode = z
  .object({
    nodeId: z.string(),
    kind: z.string(),
    superstep: z.number().int(),
    status: z.enum(['completed', 'failed', 'skipped', 'cancelled', 'aborted']),
    attempts: z.number().int(),
    startedAt: z.number().optional(),
    durationMs: z.number(),
    input: z.unknown().optional().openapi({ description: 'Bounded: larger values are {truncated, bytes, preview}' }),
    output: z.unknown().optional(),
    port: z.string().optional().openapi({ description: 'The route a router followed' }),
    tokens: z.object({ inputTokens: z.number(), outputTokens: z.number() }).optional(),
    error: z.string().optional(),
  })
  .openapi('TraceNode');

const MessageTrace = z
  .object({
    messageId: z.string(),
    runId: z.string(),
    status: z.string().openapi({ description: 'running, completed, failed, aborted or cancelled' }),
    error: z
      .object({ nodeId: z.string().nullable(), code: z.string(), message: z.string() })
      .nullable()
      .openapi({ description: 'Why the run failed, naming the node at fault' }),
    startedAt: z.number(),
    finishedAt: z.number().nullable(),
    path: z.array(z.string()).openapi({ description: 'Node ids in the order their results were applied' }),
    nodes: z.array(TraceNode),
  })
  .openapi('MessageTrace');

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
      200: { description: 'The trace', content: { 'application/json': { schema: MessageTrace } } },
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

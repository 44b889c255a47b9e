import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../auth/middleware.ts';
import { createRouter } from '../http/app.ts';
import { continueCompletion } from './continue.ts';
import { handleOpenAIError } from './errors.ts';
import { listModels, resolveModel } from './models.ts';
import {
  ChatCompletionRequest,
  ChatCompletionSchema,
  ConversationHeader,
  ModelListSchema,
  OpenAIErrorSchema,
  openaiErrorResponses,
} from './schemas.ts';
import { statelessCompletion } from './stateless.ts';

/**
 * The OpenAI-compatible API (worker/openai-compat/README.md): a chatbot is a "model", so any OpenAI client talks to
 * Parley chatbots by pointing its base URL at /v1. Errors here use OpenAI's shape, which those clients parse.
 */
export const openaiCompatRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/v1/chat/completions',
      tags: ['OpenAI-compatible'],
      summary: 'Chat with a chatbot through the OpenAI Chat Completions API',
      middleware: [requireApiKey('chat')] as const,
      request: {
        headers: ConversationHeader,
        body: { required: true, content: { 'application/json': { schema: ChatCompletionRequest } } },
      },
      responses: {
        200: {
          description: 'A chat.completion object, or chat.completion.chunk Server-Sent Events when stream is true',
          content: {
            'application/json': { schema: ChatCompletionSchema },
            'text/event-stream': { schema: z.string() },
          },
        },
        ...openaiErrorResponses,
        409: {
          description: 'The conversation has ended',
          content: { 'application/json': { schema: OpenAIErrorSchema } },
        },
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const headers = c.req.valid('header');
      const conversationId = headers['x-parley-conversation-id'];
      const { teamId } = c.var.auth;
      const resolved = await resolveModel(c.env, teamId, body.model);
      if (conversationId)
        return continueCompletion(
          c.env,
          c.executionCtx,
          teamId,
          { conversationId, idempotencyKey: headers['idempotency-key'] },
          resolved,
          body,
        );
      return statelessCompletion(c.env, c.executionCtx, teamId, resolved, body);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/v1/models',
      tags: ['OpenAI-compatible'],
      summary: "List the team's chatbots as OpenAI models",
      middleware: [requireApiKey('read')] as const,
      responses: {
        200: { description: 'The models', content: { 'application/json': { schema: ModelListSchema } } },
        ...openaiErrorResponses,
      },
    }),
    async (c) => c.json({ object: 'list' as const, data: await listModels(c.env, c.var.auth.teamId) }, 200),
  );

openaiCompatRoutes.onError(handleOpenAIError);

import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../auth/middleware.ts';
import { createRouter } from '../http/app.ts';
import { errorResponses } from '../http/schemas.ts';
import { TemplateSchema } from './api-schemas.ts';
import { chatbotTemplates } from './catalog.ts';

/** The template picker: every shipped template with its graph. Create one with POST /api/v1/chatbots {templateId}. */
export const chatbotTemplateRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/chatbot-templates',
    tags: ['Chatbots'],
    summary: 'List the chatbot templates (pipelines a new chatbot can start from), with their definitions',
    middleware: [requireApiKey('read')] as const,
    responses: {
      200: {
        description: 'Every template',
        content: { 'application/json': { schema: z.object({ data: z.array(TemplateSchema) }) } },
      },
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  (c) =>
    c.json(
      {
        data: chatbotTemplates.map(({ id, name, description, kinds, definition }) => ({
          id,
          name,
          description,
          kinds: [...kinds],
          definition: structuredClone(definition) as unknown as Record<string, unknown>,
        })),
      },
      200,
    ),
);

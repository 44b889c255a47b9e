import { createRoute, z } from '@hono/zod-openapi';
import { providers } from '../../plugins/registry.ts';
import { requireApiKey } from '../auth/middleware.ts';
import { createRouter } from '../http/app.ts';
import { notFound } from '../http/errors.ts';
import { errorResponses } from '../http/schemas.ts';

/**
 * The JSON Schema of the model parameters a provider accepts for one model (temperature, max tokens, … with their
 * ranges), from the plugin's own zod schema: the dashboard generates the chatbot's parameter form from it.
 */
export const providerParameterRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/providers/{providerId}/parameters',
    tags: ['Providers'],
    summary: 'The JSON Schema of the model parameters a provider accepts for a model',
    middleware: [requireApiKey('read')] as const,
    request: {
      params: z.object({
        providerId: z
          .string()
          .min(1)
          .max(40)
          .openapi({ param: { name: 'providerId', in: 'path' }, example: 'openai' }),
      }),
      query: z.object({ model: z.string().min(1).max(200).openapi({ example: 'gpt-4o-mini' }) }),
    },
    responses: {
      200: {
        description: 'JSON Schema (draft 2020-12) of the parameters object',
        content: { 'application/json': { schema: z.object({ schema: z.record(z.string(), z.unknown()) }) } },
      },
      ...errorResponses,
    },
  }),
  (c) => {
    const provider = providers.get(c.req.valid('param').providerId);
    if (!provider) throw notFound('Provider plugin');
    const schema = z.toJSONSchema(provider.parameters(c.req.valid('query').model), {
      io: 'input',
      unrepresentable: 'any',
    }) as Record<string, unknown>;
    return c.json({ schema }, 200);
  },
);

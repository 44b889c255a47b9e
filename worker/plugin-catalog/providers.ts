import { createRoute, z } from '@hono/zod-openapi';
import { providers } from '../../plugins/registry.ts';
import { requireApiKey } from '../auth/middleware.ts';
import { resolveProvider, TurnSetupError } from '../conversation/provider-settings.ts';
import { createRouter } from '../http/app.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { errorResponses } from '../http/schemas.ts';
import { systemClock } from '../ports/clock.ts';

const ModelSchema = z
  .object({ id: z.string(), displayName: z.string(), contextWindow: z.number().int().optional() })
  .openapi('Model');

export type ProviderModel = z.infer<typeof ModelSchema>;

// Listing models is one provider API call; a provider that hangs must not hold the request.
const MODELS_TIMEOUT_MS = 15_000;

export const providerRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/providers/{providerId}/models',
    tags: ['Providers'],
    summary: "List a provider's models, using one of the team's credentials (none for the offline provider)",
    middleware: [requireApiKey('read')] as const,
    request: {
      params: z.object({
        providerId: z
          .string()
          .min(1)
          .max(40)
          .openapi({ param: { name: 'providerId', in: 'path' }, example: 'openai' }),
      }),
      query: z.object({ credentialId: z.string().min(1).max(64).optional() }),
    },
    responses: {
      200: {
        description: 'Models',
        content: { 'application/json': { schema: z.object({ data: z.array(ModelSchema) }) } },
      },
      ...errorResponses,
      502: { description: 'The provider refused or failed', content: errorResponses[400].content },
    },
  }),
  async (c) => {
    const { providerId } = c.req.valid('param');
    if (!providers.has(providerId)) throw notFound('Provider plugin');
    const credentialId = c.req.valid('query').credentialId ?? null;
    let resolved: Awaited<ReturnType<typeof resolveProvider>>;
    try {
      resolved = await resolveProvider(c.env, c.var.auth.teamId, { providerId, credentialId });
    } catch (error) {
      if (!(error instanceof TurnSetupError)) throw error;
      if (error.code === 'credential_missing') throw notFound('Credential');
      throw new ApiError(400, error.code, error.message);
    }
    try {
      const signal = AbortSignal.timeout(MODELS_TIMEOUT_MS);
      const data = await resolved.provider.models({
        settings: resolved.settings,
        clock: systemClock,
        fetch: (r, i) => fetch(r, i),
        signal,
      });
      return c.json({ data }, 200);
    } catch (error) {
      const message = error instanceof Error ? error.message.slice(0, 500) : 'Provider request failed';
      throw new ApiError(502, 'provider_error', message);
    }
  },
);

import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../auth/middleware.ts';
import { teamDatabase } from '../db/shards.ts';
import { createRouter } from '../http/app.ts';
import { errorResponses } from '../http/schemas.ts';
import { signingSecret } from './webhook-signing.ts';

const WebhookSecretSchema = z
  .object({
    secret: z.string().openapi({ description: 'The HMAC-SHA256 key of webhook actions that name no configuration' }),
    algorithm: z.literal('HMAC-SHA256'),
    signedPayload: z.literal('<X-Parley-Timestamp>.<raw body>'),
    headers: z.object({ signature: z.literal('X-Parley-Signature'), timestamp: z.literal('X-Parley-Timestamp') }),
  })
  .openapi('WebhookSigningSecret');

/**
 * The team's default webhook signing secret, for the receiver to verify calls (docs/events.md "Webhooks"), as
 * Stripe and Slack show theirs to an admin. It is the team's own key, not a credential of Parley's: readable with
 * the `configure` permission (admins and owners, `admin` API keys) only, and never logged. It is derived from
 * ENCRYPTION_KEY, so it cannot be rotated alone: a webhook that needs rotation names a configuration holding its own
 * `signingSecret` (`secretCredentialId`).
 */
export const webhookSecretRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/events/webhook-secret',
    tags: ['Events'],
    summary: "The team's webhook signing secret, to verify the calls of webhook actions",
    middleware: [requireApiKey('admin')] as const,
    responses: {
      200: {
        description: 'The secret and how calls are signed',
        content: { 'application/json': { schema: WebhookSecretSchema } },
      },
      ...errorResponses,
    },
  }),
  async (c) => {
    const teamId = c.var.auth.teamId;
    c.header('cache-control', 'no-store');
    return c.json(
      {
        secret: await signingSecret(c.env, teamDatabase(c.env, teamId), teamId),
        algorithm: 'HMAC-SHA256' as const,
        signedPayload: '<X-Parley-Timestamp>.<raw body>' as const,
        headers: { signature: 'X-Parley-Signature' as const, timestamp: 'X-Parley-Timestamp' as const },
      },
      200,
    );
  },
);

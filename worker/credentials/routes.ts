import { createRoute, z } from '@hono/zod-openapi';
import { providers } from '../../plugins/registry.ts';
import { requireApiKey } from '../auth/middleware.ts';
import { resolveProvider } from '../conversation/provider-settings.ts';
import { database } from '../db/client.ts';
import type { Env } from '../env.ts';
import { createRouter } from '../http/app.ts';
import { cursorQuery, errorResponses, idParam, iso } from '../http/schemas.ts';
import { systemClock } from '../ports/clock.ts';
import {
  type CredentialRow,
  createCredential,
  credentialSecretNames,
  deleteCredential,
  findCredential,
  listCredentials,
  updateCredential,
} from './store.ts';

const settings = z
  .record(z.string(), z.unknown())
  .describe("The provider plugin's settings (GET /api/v1/plugins has their schema); secrets are write-only");

const Credential = z
  .object({
    id: z.string(),
    providerId: z.string(),
    name: z.string(),
    settings: z.record(z.string(), z.unknown()).describe('Public settings only; never secrets'),
    secretsSet: z.array(z.string()).describe('Names of the secret settings stored'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ProviderCredential');

export type ProviderCredential = z.infer<typeof Credential>;

const name = z.string().trim().min(1).max(100);
const CreateCredential = z
  .strictObject({ providerId: z.string().min(1).max(40), name, settings })
  .openapi('CreateProviderCredential');
const UpdateCredential = z
  .strictObject({ name: name.optional(), settings: settings.optional() })
  .openapi('UpdateProviderCredential');
const TestResult = z
  .object({ ok: z.boolean(), models: z.number().int().nullable(), message: z.string() })
  .openapi('CredentialTest');

export type CredentialTestResult = z.infer<typeof TestResult>;

const params = z.object({ id: idParam('id', 'cred_…') });
const json = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });
const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema } } });

async function present(env: Env, row: CredentialRow) {
  return {
    id: row.id,
    providerId: row.providerId,
    name: row.name,
    settings: row.settings,
    secretsSet: await credentialSecretNames(env, row),
    createdAt: iso(row.createdAt) as string,
    updatedAt: iso(row.updatedAt) as string,
  };
}

// A connection test is one model-list call; a provider that hangs must not hold the request.
const TEST_TIMEOUT_MS = 15_000;

/** Provider credentials: a team's API keys for LLM providers, write-only, chosen by chatbots' LLM steps. */
export const credentialRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/credentials',
      tags: ['Providers'],
      summary: "List the team's provider credentials, oldest first, a page at a time (secrets never included)",
      description: 'Cursor-paginated: pass `nextCursor` back as `cursor` until it is null.',
      middleware: [requireApiKey('read')] as const,
      request: { query: cursorQuery.extend({ providerId: z.string().min(1).max(40).optional() }) },
      responses: {
        200: json('A page of credentials', z.object({ data: z.array(Credential), nextCursor: z.string().nullable() })),
        ...errorResponses,
      },
    }),
    async (c) => {
      const result = await listCredentials(database(c.env.DB), c.var.auth.teamId, c.req.valid('query'));
      const data = await Promise.all(result.data.map((row) => present(c.env, row)));
      return c.json({ data, nextCursor: result.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/credentials',
      tags: ['Providers'],
      summary: 'Store credentials for a provider (encrypted at rest, never returned)',
      middleware: [requireApiKey('admin')] as const,
      request: { body: body(CreateCredential) },
      responses: {
        201: json('Created', Credential),
        ...errorResponses,
        409: json('Name taken', errorResponses[400].content['application/json'].schema),
      },
    }),
    async (c) => {
      const input = c.req.valid('json') as z.infer<typeof CreateCredential>;
      const row = await createCredential(database(c.env.DB), c.env, c.var.auth.teamId, input);
      return c.json(await present(c.env, row), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/credentials/{id}',
      tags: ['Providers'],
      summary: 'Get one credential (secrets never included)',
      middleware: [requireApiKey('read')] as const,
      request: { params },
      responses: { 200: json('The credential', Credential), ...errorResponses },
    }),
    async (c) => {
      const row = await findCredential(database(c.env.DB), c.var.auth.teamId, c.req.valid('param').id);
      return c.json(await present(c.env, row), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/credentials/{id}',
      tags: ['Providers'],
      summary: 'Rename, or change settings (merged; an omitted secret keeps its value, null removes a setting)',
      middleware: [requireApiKey('admin')] as const,
      request: { params, body: body(UpdateCredential) },
      responses: { 200: json('The credential', Credential), ...errorResponses },
    }),
    async (c) => {
      const patch = c.req.valid('json') as z.infer<typeof UpdateCredential>;
      const row = await updateCredential(database(c.env.DB), c.env, c.var.auth.teamId, c.req.valid('param').id, patch);
      return c.json(await present(c.env, row), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/credentials/{id}',
      tags: ['Providers'],
      summary: 'Delete credentials; chatbots that use them fail their turns with credential_missing until changed',
      middleware: [requireApiKey('admin')] as const,
      request: { params },
      responses: { 204: { description: 'Deleted' }, ...errorResponses },
    }),
    async (c) => {
      await deleteCredential(database(c.env.DB), c.var.auth.teamId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/credentials/{id}/test',
      tags: ['Providers'],
      summary: "Test the connection: lists the provider's models with these credentials",
      description: 'Answers 200 either way; `ok` says whether the provider accepted the credentials.',
      middleware: [requireApiKey('admin')] as const,
      request: { params },
      responses: { 200: json('Outcome', TestResult), ...errorResponses },
    }),
    async (c) => {
      const teamId = c.var.auth.teamId;
      const row = await findCredential(database(c.env.DB), teamId, c.req.valid('param').id);
      const provider = providers.get(row.providerId);
      if (!provider)
        return c.json(
          { ok: false, models: null, message: `Provider plugin "${row.providerId}" is not installed` },
          200,
        );
      try {
        const resolved = await resolveProvider(c.env, teamId, { providerId: row.providerId, credentialId: row.id });
        const models = await resolved.provider.models({
          settings: resolved.settings,
          clock: systemClock,
          fetch: (input, init) => fetch(input, init),
          signal: AbortSignal.timeout(TEST_TIMEOUT_MS),
        });
        return c.json(
          { ok: true, models: models.length, message: `Connected: ${models.length} models available` },
          200,
        );
      } catch (error) {
        // Safe to show: every plugin failure is redacted where it leaves the plugin (worker/plugins/guard.ts).
        const message = error instanceof Error ? error.message.slice(0, 300) : 'The provider refused the request';
        return c.json({ ok: false, models: null, message }, 200);
      }
    },
  );

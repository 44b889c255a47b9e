import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import { forgetApiKey } from '../auth/api-key-cache.ts';
import { requireApiKey } from '../auth/middleware.ts';
import { database } from '../db/client.ts';
import { apiKeyScopes, apiKeys } from '../db/schema/index.ts';
import { createRouter } from '../http/app.ts';
import { afterCursor, page } from '../http/cursor.ts';
import { notFound } from '../http/errors.ts';
import { cursorQuery, errorResponses, idParam, iso } from '../http/schemas.ts';
import { humanText } from '../http/text.ts';
import { newId } from '../ids.ts';
import { generateApiKey } from '../security/api-keys.ts';

const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z
      .string()
      .openapi({ description: 'The first characters of the key, to recognise it', example: 'prl_AbC123' }),
    scopes: z.array(z.enum(apiKeyScopes)),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

export type ApiKey = z.infer<typeof ApiKeySchema>;

type ApiKeyRow = typeof apiKeys.$inferSelect;
const present = (row: ApiKeyRow) => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  scopes: row.scopes,
  createdBy: row.createdBy,
  createdAt: iso(row.createdAt) ?? '',
  lastUsedAt: iso(row.lastUsedAt),
  revokedAt: iso(row.revokedAt),
});

const keyParams = z.object({ id: idParam('id', 'key_01hzx3k9q0abcdefghjkmnpqrs') });

/** API keys of the team. Managing them is an admin power: an `admin` key, or a person whose role has api_keys.manage. */
export const apiKeyRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/api-keys',
      tags: ['API keys'],
      summary: 'List the team’s API keys, newest first (revoked ones included, marked)',
      middleware: [requireApiKey('admin', 'api_keys.manage')] as const,
      request: { query: cursorQuery },
      responses: {
        200: {
          description: 'A page of API keys (never the keys themselves)',
          content: {
            'application/json': {
              schema: z.object({ data: z.array(ApiKeySchema), nextCursor: z.string().nullable() }),
            },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const rows = await database(c.env.DB)
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.teamId, c.var.auth.teamId), afterCursor(cursor, apiKeys.createdAt, apiKeys.id)))
        .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
        .limit(limit + 1);
      const result = page(rows, limit);
      return c.json({ data: result.data.map(present), nextCursor: result.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/api-keys',
      tags: ['API keys'],
      summary: 'Create an API key; the key itself is in this response only',
      middleware: [requireApiKey('admin', 'api_keys.manage')] as const,
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({
                name: humanText().trim().min(1).max(100).openapi({ example: 'CI bot' }),
                scopes: z
                  .array(z.enum(apiKeyScopes))
                  .min(1)
                  .max(apiKeyScopes.length)
                  .openapi({ example: ['read'], description: '`read`, `chat`, `admin` (holds every scope)' }),
              }),
            },
          },
        },
      },
      responses: {
        201: {
          description: 'The new key; store `key` now, it is never shown again',
          content: { 'application/json': { schema: ApiKeySchema.extend({ key: z.string() }) } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { name, scopes } = c.req.valid('json');
      const { teamId, actor } = c.var.auth;
      const generated = await generateApiKey();
      const now = Date.now();
      const [row] = await database(c.env.DB)
        .insert(apiKeys)
        .values({
          id: newId('key', now),
          teamId,
          name,
          prefix: generated.prefix,
          keyHash: generated.hash,
          scopes: [...new Set(scopes)],
          createdBy: actor.type === 'user' ? actor.id : null,
          createdAt: now,
        })
        .returning();
      if (!row) throw new Error('insert returned no row');
      return c.json({ ...present(row), key: generated.key }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/api-keys/{id}',
      tags: ['API keys'],
      summary: 'Revoke an API key (revoking twice is harmless)',
      description:
        'The Worker instance that handles this request refuses the key from its next request on; every other ' +
        'instance within 60 seconds, since each one keeps a verified key for at most that long (worker/auth/api-key-cache.ts).',
      middleware: [requireApiKey('admin', 'api_keys.manage')] as const,
      request: { params: keyParams },
      // 204 like every DELETE of the API; GET /api/v1/api-keys shows the key with its revokedAt.
      responses: { 204: { description: 'Revoked' }, ...errorResponses },
    }),
    async (c) => {
      const db = database(c.env.DB);
      const where = and(eq(apiKeys.id, c.req.valid('param').id), eq(apiKeys.teamId, c.var.auth.teamId));
      const existing = await db.query.apiKeys.findFirst({ where });
      if (!existing) throw notFound('API key');
      if (existing.revokedAt === null) await db.update(apiKeys).set({ revokedAt: Date.now() }).where(where);
      // After the write, so a lookup in flight cannot cache the key again (api-key-verify.ts); other isolates drop
      // it within API_KEY_CACHE_TTL_MS.
      forgetApiKey(existing.keyHash);
      return c.body(null, 204);
    },
  );

import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { providers } from '../../plugins/registry.ts';
import { llmStep } from '../chatbots/definition.ts';
import { database } from '../db/client.ts';
import { chatbots, chatbotVersions } from '../db/schema/index.ts';
import { createRouter } from '../http/app.ts';
import { requireApiKey } from '../http/auth.ts';
import { afterCursor, page } from '../http/cursor.ts';
import { cursorQuery, errorResponses, iso } from './schemas.ts';

const ChatbotSummary = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    provider: z.object({ id: z.string(), displayName: z.string(), offline: z.boolean() }).nullable(),
    model: z.string().nullable(),
    publishedVersion: z.number().int().nullable(),
    createdAt: z.string(),
  })
  .openapi('ChatbotSummary');

export const chatbotRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/chatbots',
    tags: ['Chatbots'],
    summary: 'List chatbots, newest first',
    middleware: [requireApiKey('read')] as const,
    request: { query: cursorQuery },
    responses: {
      200: {
        description: 'A page of chatbots',
        content: {
          'application/json': {
            schema: z.object({ data: z.array(ChatbotSummary), nextCursor: z.string().nullable() }),
          },
        },
      },
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const rows = await database(c.env.DB)
      .select({
        id: chatbots.id,
        slug: chatbots.slug,
        name: chatbots.name,
        description: chatbots.description,
        createdAt: chatbots.createdAt,
        versionNumber: chatbotVersions.number,
        definition: chatbotVersions.definition,
      })
      .from(chatbots)
      .leftJoin(chatbotVersions, eq(chatbotVersions.id, chatbots.publishedVersionId))
      .where(
        and(
          eq(chatbots.teamId, c.var.auth.teamId),
          isNull(chatbots.archivedAt),
          afterCursor(cursor, chatbots.createdAt, chatbots.id),
        ),
      )
      .orderBy(desc(chatbots.createdAt), desc(chatbots.id))
      .limit(limit + 1);
    const result = page(rows, limit);
    return c.json(
      {
        data: result.data.map((row) => {
          const step = row.definition ? llmStep(row.definition) : null;
          const provider = step ? providers.get(step.providerId) : undefined;
          return {
            id: row.id,
            slug: row.slug,
            name: row.name,
            description: row.description,
            provider: step
              ? {
                  id: step.providerId,
                  displayName: provider?.displayName ?? step.providerId,
                  offline: provider?.capabilities.offline ?? false,
                }
              : null,
            model: step?.model ?? null,
            publishedVersion: row.versionNumber,
            createdAt: iso(row.createdAt) as string,
          };
        }),
        nextCursor: result.nextCursor,
      },
      200,
    );
  },
);

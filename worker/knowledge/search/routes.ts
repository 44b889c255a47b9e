import { createRoute } from '@hono/zod-openapi';
import { and, eq, inArray } from 'drizzle-orm';
import { EmbedderError } from '../../../plugins/sdk/embedder.ts';
import { requireApiKey } from '../../auth/middleware.ts';
import { database } from '../../db/client.ts';
import { knowledgeDocuments } from '../../db/schema/index.ts';
import type { Env } from '../../env.ts';
import { createRouter } from '../../http/app.ts';
import { ApiError, notFound } from '../../http/errors.ts';
import { errorResponses } from '../../http/schemas.ts';
import { EmbedderUnavailable } from '../embed.ts';
import { collectionParams, SEARCH_DOCS, SearchBody, SearchResult } from './schemas.ts';
import { type CollectionSearch, SearchRefused, searchCollection } from './search-collection.ts';

/**
 * Titles of hits the collection's object has no document info for (objects indexed before it kept any): read from
 * the team's own rows of this collection. Hits carry their title from the object itself otherwise, so a search
 * normally reads no document row from D1.
 */
async function missingTitles(env: Env, teamId: string, found: CollectionSearch): Promise<Map<string, string>> {
  const ids = [...new Set(found.hits.filter((hit) => hit.documentTitle === undefined).map((hit) => hit.documentId))];
  if (ids.length === 0) return new Map();
  const rows = await database(env.DB)
    .select({ id: knowledgeDocuments.id, title: knowledgeDocuments.title })
    .from(knowledgeDocuments)
    .where(
      and(
        eq(knowledgeDocuments.teamId, teamId),
        eq(knowledgeDocuments.collectionId, found.collection.id),
        inArray(knowledgeDocuments.id, ids),
      ),
    );
  return new Map(rows.map((row) => [row.id, row.title]));
}

/** An embedder that cannot answer: not configured (409) or failing at the provider (503, retry later). */
function embedderFailure(error: unknown): ApiError | undefined {
  if (error instanceof EmbedderUnavailable) return new ApiError(409, 'embedder_unavailable', error.message);
  if (error instanceof EmbedderError) return new ApiError(503, 'embedder_failed', error.message);
  return undefined;
}

export const knowledgeSearchRoutes = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/api/v1/knowledge/collections/{id}/search',
    tags: ['Knowledge'],
    summary: 'Search a knowledge collection',
    description: SEARCH_DOCS,
    middleware: [requireApiKey('read')] as const,
    request: {
      params: collectionParams,
      body: { required: true, content: { 'application/json': { schema: SearchBody } } },
    },
    responses: {
      200: { description: 'Ranked hits', content: { 'application/json': { schema: SearchResult } } },
      ...errorResponses,
      409: {
        description: "The collection's embedder is not available to the team",
        content: errorResponses[400].content,
      },
      503: { description: 'The embedder failed; retry later', content: errorResponses[400].content },
    },
  }),
  async (c) => {
    const { teamId } = c.var.auth;
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    let found: CollectionSearch | null;
    try {
      found = await searchCollection(c.env, teamId, id, body);
    } catch (error) {
      if (error instanceof SearchRefused) {
        throw new ApiError(400, 'invalid_request', `Invalid body.${error.field}`, [
          { field: `body.${error.field}`, message: error.message },
        ]);
      }
      throw embedderFailure(error) ?? error;
    }
    if (!found) throw notFound('Collection');
    const byId = await missingTitles(c.env, teamId, found);
    return c.json(
      {
        collectionId: found.collection.id,
        mode: body.mode ?? 'hybrid',
        revision: found.revision,
        reranked: found.reranked,
        ...(found.warning !== undefined && { warning: found.warning }),
        hits: found.hits.map((hit) => ({
          ...hit,
          documentTitle: hit.documentTitle ?? byId.get(hit.documentId) ?? null,
        })),
      },
      200,
    );
  },
);

import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import { requireApiKey } from '../../auth/middleware.ts';
import { database } from '../../db/client.ts';
import { knowledgeCollections } from '../../db/schema/index.ts';
import { createRouter } from '../../http/app.ts';
import { afterCursor, page } from '../../http/cursor.ts';
import { notFound } from '../../http/errors.ts';
import { cursorQuery, errorResponses, idParam } from '../../http/schemas.ts';
import { loadCollection } from '../index/collection-ref.ts';
import { presentCollection } from './present.ts';
import { CollectionSchema, CreateCollectionBody, PatchCollectionBody } from './schemas.ts';
import { createCollection, deleteCollection, documentStatusCounts, patchCollection } from './store.ts';

const TAG = 'Knowledge';
export const collectionParams = z.object({ id: idParam('id', 'kcol_01hzx3k9q0abcdefghjkmnpqrs') });
const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });
// Editing knowledge is editing what chatbots answer from: the chatbot editors' permission.
const write = () => requireApiKey('admin', 'chatbots.write');

/** Knowledge collections (docs/knowledge.md): create, list, read with counts, change settings, delete. */
export const collectionRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/knowledge/collections',
      tags: [TAG],
      summary: 'Create a knowledge collection with its embedder, chunking, search and re-ranker settings',
      middleware: [write()] as const,
      request: { body: { content: json(CreateCollectionBody) } },
      responses: { 201: { description: 'The collection', content: json(CollectionSchema) }, ...errorResponses },
    }),
    async (c) => {
      const row = await createCollection(database(c.env.DB), c.var.auth.teamId, c.req.valid('json'));
      return c.json(presentCollection(row), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/knowledge/collections',
      tags: [TAG],
      summary: 'List the team’s knowledge collections, newest first',
      middleware: [requireApiKey('read')] as const,
      request: { query: cursorQuery },
      responses: {
        200: {
          description: 'A page of collections',
          content: json(z.object({ data: z.array(CollectionSchema), nextCursor: z.string().nullable() })),
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const rows = await database(c.env.DB)
        .select()
        .from(knowledgeCollections)
        .where(
          and(
            eq(knowledgeCollections.teamId, c.var.auth.teamId),
            afterCursor(cursor, knowledgeCollections.createdAt, knowledgeCollections.id),
          ),
        )
        .orderBy(desc(knowledgeCollections.createdAt), desc(knowledgeCollections.id))
        .limit(limit + 1);
      const result = page(rows, limit);
      return c.json({ data: result.data.map((row) => presentCollection(row)), nextCursor: result.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/knowledge/collections/{id}',
      tags: [TAG],
      summary: 'A collection with its documents counted by status',
      middleware: [requireApiKey('read')] as const,
      request: { params: collectionParams },
      responses: { 200: { description: 'The collection', content: json(CollectionSchema) }, ...errorResponses },
    }),
    async (c) => {
      const db = database(c.env.DB);
      const row = await loadCollection(db, c.var.auth.teamId, c.req.valid('param').id);
      if (!row) throw notFound('Collection');
      return c.json(presentCollection(row, await documentStatusCounts(db, row.teamId, row.id)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/knowledge/collections/{id}',
      tags: [TAG],
      summary:
        'Change a collection’s name, description, chunking, search or re-ranker settings (the embedder is fixed)',
      middleware: [write()] as const,
      request: { params: collectionParams, body: { content: json(PatchCollectionBody) } },
      responses: { 200: { description: 'The collection', content: json(CollectionSchema) }, ...errorResponses },
    }),
    async (c) => {
      const db = database(c.env.DB);
      const row = await loadCollection(db, c.var.auth.teamId, c.req.valid('param').id);
      if (!row) throw notFound('Collection');
      const updated = await patchCollection(db, row, c.req.valid('json'));
      return c.json(presentCollection(updated, await documentStatusCounts(db, row.teamId, row.id)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/knowledge/collections/{id}',
      tags: [TAG],
      summary: 'Delete a collection: its documents, their files and its index',
      middleware: [write()] as const,
      request: { params: collectionParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses },
    }),
    async (c) => {
      const db = database(c.env.DB);
      const row = await loadCollection(db, c.var.auth.teamId, c.req.valid('param').id);
      if (!row) throw notFound('Collection');
      await deleteCollection(c.env, db, row);
      return c.body(null, 204);
    },
  );

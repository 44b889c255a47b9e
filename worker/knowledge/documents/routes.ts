import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import { requireApiKey } from '../../auth/middleware.ts';
import { database } from '../../db/client.ts';
import { knowledgeDocuments } from '../../db/schema/index.ts';
import type { Env } from '../../env.ts';
import { createRouter } from '../../http/app.ts';
import { afterCursor, decodeCursorKey, encodeCursorKey, page } from '../../http/cursor.ts';
import { notFound } from '../../http/errors.ts';
import { cursorQuery, errorResponses, idParam } from '../../http/schemas.ts';
import { knowledgeIndex } from '../index/client.ts';
import { loadCollection, refOf } from '../index/collection-ref.ts';
import type { ParseMessage } from '../ingest/messages.ts';
import { fetchDocument } from './fetch-url.ts';
import { MAX_DOCUMENT_BYTES } from './limits.ts';
import { presentDocument } from './present.ts';
import { readUpload } from './read-body.ts';
import {
  ChunkSchema,
  DocumentSchema,
  documentStatuses,
  PatchDocumentBody,
  TextDocumentBody,
  UrlDocumentBody,
} from './schemas.ts';
import { addDocument, deleteDocument, loadDocument, patchDocument, restartIngest } from './store.ts';

const TAG = 'Knowledge';
const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });
const write = () => requireApiKey('admin', 'chatbots.write');
const binary = z.string().openapi({ format: 'binary' });
const collectionParams = z.object({ id: idParam('id', 'kcol_01hzx3k9q0abcdefghjkmnpqrs') });
const documentParams = collectionParams.extend({
  documentId: idParam('documentId', 'kdoc_01hzx3k9q0abcdefghjkmnpqrs'),
});
const created = { 201: { description: 'The document, queued for ingestion', content: json(DocumentSchema) } };
const uploadResponses = {
  ...errorResponses,
  413: { description: `Larger than ${MAX_DOCUMENT_BYTES} bytes`, content: errorResponses[400].content },
  415: { description: 'Not a format Parley reads; `details.allowed` lists them', content: errorResponses[400].content },
};
// `*/*`, not JSON: the route takes the file itself (or multipart), which the JSON-body gate must not see.
// (Multipart is accepted too, with the file in field `file`; declaring it would make the validator parse the form.)
const uploadBody = { required: true, content: { '*/*': { schema: binary } } };

async function collectionOf(env: Env, teamId: string, id: string) {
  const collection = await loadCollection(database(env.DB), teamId, id);
  if (!collection) throw notFound('Collection');
  return collection;
}

async function documentOf(env: Env, teamId: string, params: { id: string; documentId: string }) {
  const collection = await collectionOf(env, teamId, params.id);
  const document = await loadDocument(env, teamId, collection.id, params.documentId);
  if (!document) throw notFound('Document');
  return { collection, document };
}

async function queued(env: Env, result: { row: Parameters<typeof presentDocument>[0]; message: ParseMessage }) {
  await env.INGEST.send(result.message);
  return presentDocument(result.row);
}

/** A collection's documents: add (upload, URL, text), list with progress, read, re-index, replace, delete, chunks. */
export const documentRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/knowledge/collections/{id}/documents',
      tags: [TAG],
      summary:
        'Upload a document: the raw file with its Content-Type (name in `?filename=`), or multipart field `file`',
      description: `PDF, DOCX, XLSX, PPTX, HTML, Markdown, CSV or text, at most ${MAX_DOCUMENT_BYTES} bytes (docs/knowledge.md#limits). Ingestion runs on a queue: poll the document for its status and progress.`,
      middleware: [write()] as const,
      request: {
        params: collectionParams,
        query: z.object({
          filename: z.string().max(255).optional().openapi({ example: 'guide.pdf' }),
          title: z.string().trim().min(1).max(200).optional(),
        }),
        body: uploadBody,
      },
      responses: { ...created, ...uploadResponses },
    }),
    async (c) => {
      const collection = await collectionOf(c.env, c.var.auth.teamId, c.req.valid('param').id);
      const { filename, title } = c.req.valid('query');
      const file = await readUpload(c.req.raw, filename);
      const result = await addDocument(c.env, collection, { file, source: 'upload', ...(title && { title }) });
      return c.json(await queued(c.env, result), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/knowledge/collections/{id}/documents/text',
      tags: [TAG],
      summary: 'Add pasted text (Markdown or plain) as a document',
      middleware: [write()] as const,
      request: { params: collectionParams, body: { content: json(TextDocumentBody) } },
      responses: { ...created, ...errorResponses },
    }),
    async (c) => {
      const collection = await collectionOf(c.env, c.var.auth.teamId, c.req.valid('param').id);
      const body = c.req.valid('json');
      const bytes = new TextEncoder().encode(body.text);
      const contentType = body.format === 'markdown' ? 'text/markdown' : 'text/plain';
      const file = { bytes, fileName: null, contentType };
      const result = await addDocument(c.env, collection, { file, title: body.title, source: 'text' });
      return c.json(await queued(c.env, result), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/knowledge/collections/{id}/documents/url',
      tags: [TAG],
      summary: 'Add a document fetched from a URL (public hosts only when deployed; same size limit as uploads)',
      middleware: [write()] as const,
      request: { params: collectionParams, body: { content: json(UrlDocumentBody) } },
      responses: {
        ...created,
        ...uploadResponses,
        422: { description: 'The URL could not be fetched', content: errorResponses[400].content },
      },
    }),
    async (c) => {
      const collection = await collectionOf(c.env, c.var.auth.teamId, c.req.valid('param').id);
      const body = c.req.valid('json');
      const file = await fetchDocument(c.env, body.url);
      const result = await addDocument(c.env, collection, {
        file,
        source: 'url',
        sourceUrl: body.url,
        ...(body.title && { title: body.title }),
      });
      return c.json(await queued(c.env, result), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/knowledge/collections/{id}/documents',
      tags: [TAG],
      summary: 'List a collection’s documents with status and progress, newest first',
      middleware: [requireApiKey('read')] as const,
      request: {
        params: collectionParams,
        query: cursorQuery.extend({ status: z.enum(documentStatuses).optional() }),
      },
      responses: {
        200: {
          description: 'A page of documents',
          content: json(z.object({ data: z.array(DocumentSchema), nextCursor: z.string().nullable() })),
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const collection = await collectionOf(c.env, c.var.auth.teamId, c.req.valid('param').id);
      const { limit, cursor, status } = c.req.valid('query');
      const rows = await database(c.env.DB)
        .select()
        .from(knowledgeDocuments)
        .where(
          and(
            eq(knowledgeDocuments.teamId, collection.teamId),
            eq(knowledgeDocuments.collectionId, collection.id),
            status ? eq(knowledgeDocuments.status, status) : undefined,
            afterCursor(cursor, knowledgeDocuments.createdAt, knowledgeDocuments.id),
          ),
        )
        .orderBy(desc(knowledgeDocuments.createdAt), desc(knowledgeDocuments.id))
        .limit(limit + 1);
      const result = page(rows, limit);
      return c.json({ data: result.data.map(presentDocument), nextCursor: result.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/knowledge/collections/{id}/documents/{documentId}',
      tags: [TAG],
      summary: 'A document with its status, error and progress (chunksDone / chunksTotal)',
      middleware: [requireApiKey('read')] as const,
      request: { params: documentParams },
      responses: { 200: { description: 'The document', content: json(DocumentSchema) }, ...errorResponses },
    }),
    async (c) => {
      const { document } = await documentOf(c.env, c.var.auth.teamId, c.req.valid('param'));
      return c.json(presentDocument(document), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/knowledge/collections/{id}/documents/{documentId}',
      tags: [TAG],
      summary: 'Rename a document or mark it public (citations link to a download)',
      middleware: [write()] as const,
      request: { params: documentParams, body: { content: json(PatchDocumentBody) } },
      responses: { 200: { description: 'The document', content: json(DocumentSchema) }, ...errorResponses },
    }),
    async (c) => {
      const { document } = await documentOf(c.env, c.var.auth.teamId, c.req.valid('param'));
      return c.json(presentDocument(await patchDocument(c.env, document, c.req.valid('json'))), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/knowledge/collections/{id}/documents/{documentId}',
      tags: [TAG],
      summary: 'Delete a document, its file and its chunks (pinned chatbot versions keep their revision)',
      middleware: [write()] as const,
      request: { params: documentParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses },
    }),
    async (c) => {
      const { collection, document } = await documentOf(c.env, c.var.auth.teamId, c.req.valid('param'));
      await deleteDocument(c.env, collection, document);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/knowledge/collections/{id}/documents/{documentId}/reindex',
      tags: [TAG],
      summary: 'Parse and chunk the document again (only chunks whose text changed are embedded)',
      middleware: [write()] as const,
      request: { params: documentParams },
      responses: { 202: { description: 'Queued', content: json(DocumentSchema) }, ...errorResponses },
    }),
    async (c) => {
      const { collection, document } = await documentOf(c.env, c.var.auth.teamId, c.req.valid('param'));
      return c.json(await queued(c.env, await restartIngest(c.env, collection, document)), 202);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/api/v1/knowledge/collections/{id}/documents/{documentId}/file',
      tags: [TAG],
      summary: 'Replace the document’s file (raw or multipart, as uploads); only changed chunks are re-embedded',
      middleware: [write()] as const,
      request: {
        params: documentParams,
        query: z.object({ filename: z.string().max(255).optional().openapi({ example: 'guide-v2.pdf' }) }),
        body: uploadBody,
      },
      responses: { 202: { description: 'Queued', content: json(DocumentSchema) }, ...uploadResponses },
    }),
    async (c) => {
      const { collection, document } = await documentOf(c.env, c.var.auth.teamId, c.req.valid('param'));
      const file = await readUpload(c.req.raw, c.req.valid('query').filename);
      return c.json(await queued(c.env, await restartIngest(c.env, collection, document, file)), 202);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/knowledge/collections/{id}/documents/{documentId}/chunks',
      tags: [TAG],
      summary: 'The document’s chunks in order (live first, then retired ones with their revisions)',
      middleware: [requireApiKey('read')] as const,
      request: { params: documentParams, query: cursorQuery },
      responses: {
        200: {
          description: 'A page of chunks',
          content: json(
            z.object({ data: z.array(ChunkSchema), total: z.number().int(), nextCursor: z.string().nullable() }),
          ),
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { collection, document } = await documentOf(c.env, c.var.auth.teamId, c.req.valid('param'));
      const { limit, cursor } = c.req.valid('query');
      const offset = cursor ? decodeCursorKey(cursor, (t) => (/^\d{1,9}$/.test(t) ? Number(t) : undefined)) : 0;
      const result = await knowledgeIndex(c.env).listChunks(refOf(collection), document.id, { offset, limit });
      const next = offset + result.chunks.length;
      return c.json(
        {
          data: result.chunks,
          total: result.total,
          nextCursor: next < result.total ? encodeCursorKey(String(next)) : null,
        },
        200,
      );
    },
  );

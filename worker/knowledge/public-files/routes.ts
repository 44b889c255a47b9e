import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { database } from '../../db/client.ts';
import { knowledgeDocuments } from '../../db/schema/index.ts';
import { createRouter } from '../../http/app.ts';
import { notFound } from '../../http/errors.ts';
import { ErrorSchema, errorResponses, idParam } from '../../http/schemas.ts';
import { cleanFileName } from '../../widget/uploads.ts';
import { isPublicFileToken } from '../documents/public-link.ts';
import { downloadName } from './download-name.ts';

const binary = z.string().openapi({ format: 'binary' });
// The same answer for a wrong token, a private document and a deleted one: a link reveals nothing about which.
const gone = () => notFound('File');

/**
 * The download behind a citation's link, for files the admin marked public: no sign-in, the `t` capability
 * (docs/knowledge.md#public-files) stands in for it.
 */
export const publicFileRoutes = createRouter().openapi(
  createRoute({
    security: [],
    method: 'get',
    path: '/api/v1/knowledge/public-files/{documentId}',
    tags: ['Knowledge'],
    summary: 'Download a document the admin marked public (the link citations carry; no API key)',
    description:
      'The `t` token is the capability from the citation’s `url`. It stops working when the document is made ' +
      'private again or deleted; a wrong token, a private and a missing document all answer the same 404.',
    request: {
      params: z.object({ documentId: idParam('documentId', 'kdoc_01hzx3k9q0abcdefghjkmnpqrs') }),
      query: z.object({ t: z.string().min(1).max(100).openapi({ description: 'The link’s capability token' }) }),
    },
    responses: {
      // The shared error set (the docs test wants it on every operation); 401 and 403 never happen here.
      ...errorResponses,
      200: { description: 'The file, as an attachment', content: { 'application/octet-stream': { schema: binary } } },
      400: { description: 'No token', content: { 'application/json': { schema: ErrorSchema } } },
      404: {
        description: 'Wrong token, or the document is not public',
        content: { 'application/json': { schema: ErrorSchema } },
      },
    },
  }),
  async (c) => {
    const { documentId } = c.req.valid('param');
    const { t } = c.req.valid('query');
    // Looked up by id alone, since the link names no team: the token, an HMAC over the row's own team and id, is
    // what scopes it, and it is checked before anything of the row is used.
    const [row] = await database(c.env.DB)
      .select({
        teamId: knowledgeDocuments.teamId,
        title: knowledgeDocuments.title,
        format: knowledgeDocuments.format,
        fileKey: knowledgeDocuments.fileKey,
        contentType: knowledgeDocuments.contentType,
      })
      .from(knowledgeDocuments)
      .where(and(eq(knowledgeDocuments.id, documentId), eq(knowledgeDocuments.public, true)))
      .limit(1);
    // Without a row the HMAC is still computed (over a team no document has), so a wrong guess costs the same time.
    const valid = await isPublicFileToken(c.env, row?.teamId ?? '-', documentId, t);
    if (!row || !valid) throw gone();
    const object = await c.env.FILES.get(row.fileKey);
    if (!object) throw gone();
    const name = downloadName(object.customMetadata?.name, row.title, row.format);
    return new Response(object.body, {
      headers: {
        'content-type': object.httpMetadata?.contentType ?? row.contentType,
        'content-length': String(object.size),
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(cleanFileName(name))}`,
        'x-content-type-options': 'nosniff',
        // Short: a document made private again stops being served from caches within five minutes.
        'cache-control': 'private, max-age=300',
        'content-security-policy': "default-src 'none'; sandbox",
      },
    });
  },
);

import { createRoute, z } from '@hono/zod-openapi';
import { createRouter } from '../http/app.ts';
import { conversationIdParam, UploadedFileSchema, widgetErrorResponses, widgetTokenSecurity } from './api-schemas.ts';
import { requireWidgetToken } from './auth.ts';
import { MAX_UPLOAD_BYTES, readUpload, storeUpload, UPLOAD_TYPES } from './uploads.ts';

const binary = z.string().openapi({ format: 'binary' });
const jsonError = (description: string) => ({ ...widgetErrorResponses[400], description });

// Declared as `*/*`, not type by type: a route declaring application/json would get the JSON-body gate and validator
// (worker/http/app.ts), and an uploaded .json file is a file, not a request body.
const uploadTypes = [...UPLOAD_TYPES].join(', ');

/** Attachments: upload into the token's conversation, and download from it only (docs/widget-api.md). */
export const widgetFileRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/widget/v1/conversations/{id}/uploads',
      tags: ['Widget'],
      summary: 'Upload a file to attach to a message; the body is the file itself, with its Content-Length',
      description: `Allowed types: ${uploadTypes}. At most ${MAX_UPLOAD_BYTES} bytes.`,
      middleware: [requireWidgetToken()] as const,
      security: widgetTokenSecurity,
      request: {
        params: conversationIdParam,
        query: z.object({ name: z.string().optional().openapi({ description: 'The file name to keep' }) }),
        body: { required: true, content: { '*/*': { schema: binary } } },
      },
      responses: {
        201: { description: 'The stored file', content: { 'application/json': { schema: UploadedFileSchema } } },
        ...widgetErrorResponses,
        411: jsonError('No Content-Length header'),
        413: jsonError(`Larger than ${MAX_UPLOAD_BYTES} bytes`),
        415: jsonError('A type that cannot be uploaded; `details.allowed` lists those that can'),
      },
    }),
    async (c) => c.json(await storeUpload(c.env, c.var.widget, c.req.raw, c.req.valid('query').name), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/widget/v1/files/{fileId}',
      tags: ['Widget'],
      summary: 'Download a file of the token’s conversation (images inline, others as attachments)',
      description: 'No Origin is needed: a plain `<img>` or link sends none, and the token is bound to its origin.',
      middleware: [requireWidgetToken({ originOptional: true })] as const,
      security: widgetTokenSecurity,
      request: {
        params: z.object({
          fileId: z
            .string()
            .openapi({ param: { name: 'fileId', in: 'path' }, example: 'file_0123456789abcdefghjkmnpqrs' }),
        }),
      },
      responses: {
        200: { description: 'The file', content: { '*/*': { schema: binary } } },
        ...widgetErrorResponses,
      },
    }),
    async (c) => {
      return readUpload(c.env, c.var.widget, c.req.valid('param').fileId);
    },
  );

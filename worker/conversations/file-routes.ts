import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../auth/middleware.ts';
import { conversationFileResponse } from '../conversation/file-response.ts';
import { createRouter } from '../http/app.ts';
import { errorResponses, idParam } from '../http/schemas.ts';
import { loadConversation } from './lookup.ts';

const binary = z.string().openapi({ format: 'binary' });

/**
 * A message's file for the team's people and programs: what a user uploaded, a channel's media, a custom action's
 * reply file (`metadata.attachments[].fileId` of any message). The conversation must be the team's; the file must
 * be that conversation's (conversationFileResponse).
 */
export const conversationFileRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/conversations/{id}/files/{fileId}',
    tags: ['Conversations'],
    summary: 'Download a file attached to a message of the conversation (images inline, others as attachments)',
    middleware: [requireApiKey('read')] as const,
    request: {
      params: z.object({
        id: idParam('id', 'conv_…'),
        fileId: z
          .string()
          .max(64)
          .openapi({ param: { name: 'fileId', in: 'path' }, example: 'file_0123456789abcdefghjkmnpqrs' }),
      }),
    },
    responses: {
      200: { description: 'The file', content: { '*/*': { schema: binary } } },
      ...errorResponses,
    },
  }),
  async (c) => {
    const { teamId } = c.var.auth;
    const { id, fileId } = c.req.valid('param');
    const conversation = await loadConversation(c.env, teamId, id);
    return conversationFileResponse(c.env, teamId, conversation.id, fileId);
  },
);

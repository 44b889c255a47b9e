import { createRoute, z } from '@hono/zod-openapi';
import { conversationFileKey } from '../../conversation/message-extras.ts';
import { createRouter } from '../../http/app.ts';
import { notFound } from '../../http/errors.ts';
import { ErrorSchema, errorResponses, idParam } from '../../http/schemas.ts';
import { cleanFileName } from '../../widget/uploads.ts';
import { isChannelFileToken } from './link.ts';

const binary = z.string().openapi({ format: 'binary' });
// The same answer for a forged token, an expired link and a deleted file: a link reveals nothing about which.
const gone = () => notFound('File');

/**
 * The download a messaging platform makes for a reply file it fetches itself (Twilio's MediaUrl): no sign-in, the
 * link's `t` capability (worker/channels/file-links/link.ts) stands in for it, and it works for an hour.
 */
export const channelFileRoutes = createRouter().openapi(
  createRoute({
    security: [],
    method: 'get',
    path: '/api/v1/channel-files/{teamId}/{conversationId}/{fileId}',
    tags: ['Channels'],
    summary: 'Download a reply file through the signed link a channel was sent (no API key)',
    description:
      'Messaging platforms that fetch media from a URL (Twilio MMS and WhatsApp through Twilio) are sent this link ' +
      'with a reply file. `e` is its expiry (Unix seconds, one hour after it was made) and `t` its capability; a ' +
      'forged token, an expired link and a missing file all answer the same 404.',
    request: {
      params: z.object({
        teamId: idParam('teamId', 'team_01hzx3k9q0abcdefghjkmnpqrs'),
        conversationId: idParam('conversationId', 'conv_01hzx3k9q0abcdefghjkmnpqrs'),
        fileId: idParam('fileId', 'file_01hzx3k9q0abcdefghjkmnpqrs'),
      }),
      query: z.object({
        e: z.coerce.number().int().positive().openapi({ description: 'Expiry, Unix seconds' }),
        t: z.string().min(1).max(100).openapi({ description: 'The link’s capability token' }),
      }),
    },
    responses: {
      // The shared error set (the docs test wants it on every operation); 401 and 403 never happen here.
      ...errorResponses,
      200: { description: 'The file', content: { 'application/octet-stream': { schema: binary } } },
      400: { description: 'No token or expiry', content: { 'application/json': { schema: ErrorSchema } } },
      404: {
        description: 'Forged token, expired link or missing file',
        content: { 'application/json': { schema: ErrorSchema } },
      },
    },
  }),
  async (c) => {
    const { teamId, conversationId, fileId } = c.req.valid('param');
    const { e, t } = c.req.valid('query');
    // Checked before storage is touched: the token, an HMAC over team, conversation, file and expiry, scopes the key.
    const ref = { teamId, conversationId, fileId, expiresAt: e };
    if (!(await isChannelFileToken(c.env, ref, t, Date.now()))) throw gone();
    const object = await c.env.FILES.get(conversationFileKey(teamId, conversationId, fileId));
    if (!object) throw gone();
    return new Response(object.body, {
      headers: {
        'content-type': object.httpMetadata?.contentType ?? 'application/octet-stream',
        'content-length': String(object.size),
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(cleanFileName(object.customMetadata?.name))}`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, max-age=300',
        'content-security-policy': "default-src 'none'; sandbox",
      },
    });
  },
);

import { createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../auth/middleware.ts';
import { conversationStub } from '../conversation/stub.ts';
import { teamDatabase } from '../db/shards.ts';
import { createRouter } from '../http/app.ts';
import { decodeCursorKey, encodeCursorKey } from '../http/cursor.ts';
import { errorResponses, idParam } from '../http/schemas.ts';
import { loadConversation } from './lookup.ts';
import { tagsByMessage } from './message-tags.ts';

/**
 * A transcript is read in order, mostly whole: pages are larger than other lists' (100 by default, 200 at most;
 * a message holds at most 32,000 characters, so a page stays a few MB at worst).
 */
const MessagePageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(100).openapi({ example: 100 }),
  cursor: z.string().max(200).optional().openapi({ description: 'nextCursor from the previous page' }),
});

/** The cursor is the last message's position: positions only grow, so a page never shifts as replies arrive. */
const encodePosition = (position: number) => encodeCursorKey(`pos:${position}`);
const decodePosition = (cursor: string) =>
  decodeCursorKey(cursor, (text) => {
    const digits = /^pos:(\d{1,9})$/.exec(text)?.[1];
    return digits === undefined ? undefined : Number(digits);
  });

export const messageListRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/conversations/{id}/messages',
    tags: ['Conversations'],
    summary: 'List the messages of a conversation, oldest first, each with its tags',
    description: 'Cursor-paginated: follow `nextCursor` until it is null to read the whole transcript.',
    middleware: [requireApiKey('read')] as const,
    request: { params: z.object({ id: idParam('id', 'conv_…') }), query: MessagePageQuery },
    responses: {
      200: {
        description: 'Messages',
        content: {
          'application/json': {
            schema: z.object({ data: z.array(z.object({}).passthrough()), nextCursor: z.string().nullable() }),
          },
        },
      },
      ...errorResponses,
    },
  }),
  async (c) => {
    const { teamId } = c.var.auth;
    const conversation = await loadConversation(c.env, teamId, c.req.valid('param').id);
    const { limit, cursor } = c.req.valid('query');
    const afterPosition = cursor === undefined ? 0 : decodePosition(cursor);
    const [messages, tags] = await Promise.all([
      conversationStub(c.env, conversation.id).listMessages({ afterPosition, limit: limit + 1 }),
      tagsByMessage(teamDatabase(c.env, teamId), teamId, conversation.id),
    ]);
    const data = messages.slice(0, limit).map((message) => ({ ...message, tags: tags.get(message.id) ?? [] }));
    const last = data.at(-1);
    return c.json({ data, nextCursor: messages.length > limit && last ? encodePosition(last.position) : null }, 200);
  },
);

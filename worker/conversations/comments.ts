import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import { requireApiKey } from '../auth/middleware.ts';
import { conversationStub } from '../conversation/stub.ts';
import { conversationComments } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import { createRouter } from '../http/app.ts';
import { afterCursor, page } from '../http/cursor.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { cursorQuery, errorResponses, idParam, iso } from '../http/schemas.ts';
import { humanText } from '../http/text.ts';
import { newId } from '../ids.ts';
import { loadConversation } from './lookup.ts';

type CommentRow = typeof conversationComments.$inferSelect;

const Comment = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    messageId: z.string().nullable(),
    author: z.object({ type: z.enum(['user', 'api_key']), id: z.string(), label: z.string() }),
    body: z.string(),
    createdAt: z.string(),
  })
  .openapi('ConversationComment');

export type ConversationComment = z.infer<typeof Comment>;

const NewComment = z
  .strictObject({
    body: humanText({ multiline: true })
      .trim()
      .min(1)
      .max(4000)
      .openapi({ example: 'Escalate: the order number is wrong' }),
    messageId: z.string().min(1).max(64).optional().describe('A message of this conversation the note is about'),
  })
  .openapi('NewConversationComment');

const present = (row: CommentRow) => ({
  id: row.id,
  conversationId: row.conversationId,
  messageId: row.messageId,
  author: { type: row.authorType, id: row.authorId, label: row.authorLabel },
  body: row.body,
  createdAt: iso(row.createdAt) as string,
});

const params = z.object({ id: idParam('id', 'conv_…') });
const json = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });

/** Notes on conversations and their messages, for the team: who wrote what, when. */
export const conversationCommentRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/conversations/{id}/comments',
      tags: ['Conversations'],
      summary: "Comments on a conversation and its messages, newest first (the team's notes, never shown to users)",
      middleware: [requireApiKey('read')] as const,
      request: { params, query: cursorQuery },
      responses: {
        200: json('Comments', z.object({ data: z.array(Comment), nextCursor: z.string().nullable() })),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { teamId } = c.var.auth;
      const conversation = await loadConversation(c.env, teamId, c.req.valid('param').id);
      const query = c.req.valid('query');
      const rows = await teamDatabase(c.env, teamId)
        .select()
        .from(conversationComments)
        .where(
          and(
            eq(conversationComments.teamId, teamId),
            eq(conversationComments.conversationId, conversation.id),
            afterCursor(query.cursor, conversationComments.createdAt, conversationComments.id),
          ),
        )
        .orderBy(desc(conversationComments.createdAt), desc(conversationComments.id))
        .limit(query.limit + 1);
      const result = page(rows, query.limit);
      return c.json({ data: result.data.map(present), nextCursor: result.nextCursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/conversations/{id}/comments',
      tags: ['Conversations'],
      summary: 'Comment on a conversation, or on one of its messages',
      middleware: [requireApiKey('chat')] as const,
      request: { params, body: { required: true, content: { 'application/json': { schema: NewComment } } } },
      responses: { 201: json('The comment', Comment), ...errorResponses },
    }),
    async (c) => {
      const { teamId, actor } = c.var.auth;
      const conversation = await loadConversation(c.env, teamId, c.req.valid('param').id);
      const input = c.req.valid('json');
      if (input.messageId && !(await conversationStub(c.env, conversation.id).getMessage(input.messageId))) {
        throw new ApiError(400, 'invalid_request', 'Invalid body.messageId', [
          { field: 'body.messageId', message: 'not a message of this conversation' },
        ]);
      }
      const now = Date.now();
      const row: CommentRow = {
        id: newId('cmt', now),
        teamId,
        conversationId: conversation.id,
        messageId: input.messageId ?? null,
        authorType: actor.type,
        authorId: actor.id,
        authorLabel: actor.label,
        body: input.body,
        createdAt: now,
      };
      await teamDatabase(c.env, teamId).insert(conversationComments).values(row);
      return c.json(present(row), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api/v1/conversations/{id}/comments/{commentId}',
      tags: ['Conversations'],
      summary: 'Delete a comment: its author may, and so may anyone with the admin scope',
      middleware: [requireApiKey('chat')] as const,
      request: { params: params.extend({ commentId: idParam('commentId', 'cmt_…') }) },
      responses: { 204: { description: 'Deleted' }, ...errorResponses },
    }),
    async (c) => {
      const { teamId, actor, scopes } = c.var.auth;
      const { id, commentId } = c.req.valid('param');
      const db = teamDatabase(c.env, teamId);
      const row = await db.query.conversationComments.findFirst({
        where: and(
          eq(conversationComments.id, commentId),
          eq(conversationComments.teamId, teamId),
          eq(conversationComments.conversationId, id),
        ),
      });
      if (!row) throw notFound('Comment');
      const own = row.authorType === actor.type && row.authorId === actor.id;
      if (!own && !scopes.includes('admin')) {
        throw new ApiError(403, 'forbidden', 'Only the author or an admin can delete this comment');
      }
      await db.delete(conversationComments).where(eq(conversationComments.id, row.id));
      return c.body(null, 204);
    },
  );

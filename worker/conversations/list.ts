import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, gt, gte, inArray, lt, or, type SQL } from 'drizzle-orm';
import { requireApiKey } from '../auth/middleware.ts';
import type { Database } from '../db/client.ts';
import { conversationStatuses, conversations, conversationTags, messages, messageTags } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import { createRouter } from '../http/app.ts';
import { afterCursor, page } from '../http/cursor.ts';
import { ApiError } from '../http/errors.ts';
import { cursorQuery, errorResponses } from '../http/schemas.ts';
import { endOf, isoInstant, startOf } from '../http/time-range.ts';
import { tagSchema } from '../tags/schema.ts';
import { ConversationSchema, presentConversations } from './json.ts';

const id = z.string().min(1).max(64);

export const ConversationFilters = cursorQuery.extend({
  chatbotId: id.optional(),
  participantId: id.optional(),
  channelId: id.optional(),
  status: z.enum(conversationStatuses).optional(),
  tag: tagSchema.optional().openapi({ description: 'Tagged with it, on the conversation or on one of its messages' }),
  rating: z.enum(['up', 'down']).optional().openapi({ description: 'Only conversations with a reply rated 👍 or 👎' }),
  from: isoInstant.optional().openapi({ description: 'Created at or after; a date means its start (UTC)' }),
  to: isoInstant.optional().openapi({ description: 'Created at or before; a date includes its whole UTC day' }),
  includeEmpty: z.enum(['true', 'false']).optional().openapi({
    description: 'Also list conversations with no messages yet (e.g. a widget opened but never used); default false',
  }),
});

export type ConversationFilters = z.infer<typeof ConversationFilters>;

export const ConversationPage = z.object({ data: z.array(ConversationSchema), nextCursor: z.string().nullable() });

/** Conversations carrying `tag` themselves or on one of their messages; each side reads its (team, tag) index. */
function taggedWith(db: Database, teamId: string, tag: string): SQL | undefined {
  return or(
    inArray(
      conversations.id,
      db
        .select({ id: conversationTags.conversationId })
        .from(conversationTags)
        .where(and(eq(conversationTags.teamId, teamId), eq(conversationTags.tag, tag))),
    ),
    inArray(
      conversations.id,
      db
        .select({ id: messageTags.conversationId })
        .from(messageTags)
        .where(and(eq(messageTags.teamId, teamId), eq(messageTags.tag, tag))),
    ),
  );
}

/** The WHERE of a team's conversations under `filters` (the list's and the export's), without the cursor. */
export function conversationConditions(
  db: Database,
  teamId: string,
  filters: Omit<ConversationFilters, 'cursor' | 'limit'>,
): (SQL | undefined)[] {
  const from = filters.from === undefined ? undefined : startOf(filters.from);
  const to = filters.to === undefined ? undefined : endOf(filters.to);
  if (from !== undefined && to !== undefined && from >= to) {
    throw new ApiError(400, 'invalid_request', 'Invalid query.to', [
      { field: 'query.to', message: 'must not be before query.from' },
    ]);
  }
  return [
    eq(conversations.teamId, teamId),
    // messageCount is the queue consumer's copy of the D1 messages (refreshCounters), 0 until the first is indexed.
    filters.includeEmpty === 'true' ? undefined : gt(conversations.messageCount, 0),
    filters.chatbotId === undefined ? undefined : eq(conversations.chatbotId, filters.chatbotId),
    filters.participantId === undefined ? undefined : eq(conversations.participantId, filters.participantId),
    filters.channelId === undefined ? undefined : eq(conversations.channelId, filters.channelId),
    filters.status === undefined ? undefined : eq(conversations.status, filters.status),
    from === undefined ? undefined : gte(conversations.createdAt, from),
    to === undefined ? undefined : lt(conversations.createdAt, to),
    filters.tag === undefined ? undefined : taggedWith(db, teamId, filters.tag),
    filters.rating === undefined
      ? undefined
      : inArray(
          conversations.id,
          db
            .select({ id: messages.conversationId })
            .from(messages)
            // The rating column (migration 0016; D1 rows hold no metadata since, docs/scaling.md "Message bodies").
            .where(and(eq(messages.teamId, teamId), eq(messages.rating, filters.rating))),
        ),
  ];
}

/** A page of a team's conversations, newest first; every filter has its own (team, …, created_at) index. */
export async function listConversations(db: Database, teamId: string, filters: ConversationFilters) {
  const where = [
    ...conversationConditions(db, teamId, filters),
    afterCursor(filters.cursor, conversations.createdAt, conversations.id),
  ];
  const rows = await db
    .select()
    .from(conversations)
    .where(and(...where))
    .orderBy(desc(conversations.createdAt), desc(conversations.id))
    .limit(filters.limit + 1);
  const result = page(rows, filters.limit);
  return { data: await presentConversations(db, teamId, result.data), nextCursor: result.nextCursor };
}

export const conversationListRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/conversations',
    tags: ['Conversations'],
    summary: 'List conversations, newest first, filtered by chatbot, participant, channel, status, tag or date',
    middleware: [requireApiKey('read')] as const,
    request: { query: ConversationFilters },
    responses: {
      200: { description: 'A page of conversations', content: { 'application/json': { schema: ConversationPage } } },
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  async (c) =>
    c.json(
      await listConversations(teamDatabase(c.env, c.var.auth.teamId), c.var.auth.teamId, c.req.valid('query')),
      200,
    ),
);

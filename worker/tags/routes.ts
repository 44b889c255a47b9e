import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, gt, sql } from 'drizzle-orm';
import { requireApiKey } from '../auth/middleware.ts';
import { conversationTags, messageTags } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import { createRouter } from '../http/app.ts';
import { decodeCursorKey, encodeCursorKey } from '../http/cursor.ts';
import { cursorQuery, errorResponses } from '../http/schemas.ts';
import { compareTags } from './schema.ts';

const TagUse = z
  .object({
    tag: z.string(),
    conversations: z.number().int().describe('Conversations carrying the tag themselves'),
    messages: z.number().int().describe('Messages carrying the tag'),
  })
  .openapi('TagUse');

/** The cursor is the last tag of the page: tags are unique per team, so it is a stable key. */
const decodeTagCursor = (cursor: string) => decodeCursorKey(cursor, (tag) => tag || undefined);

/** The team's tag vocabulary, for filters and autocompletion: every tag in use on conversations or messages. */
export const tagRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/tags',
    tags: ['Conversations'],
    summary: 'The tags in use in the team, by name, with how many conversations and messages carry each',
    middleware: [requireApiKey('read')] as const,
    request: { query: cursorQuery },
    responses: {
      200: {
        description: 'Tags, in code point order',
        content: {
          'application/json': { schema: z.object({ data: z.array(TagUse), nextCursor: z.string().nullable() }) },
        },
      },
      ...errorResponses,
    },
  }),
  async (c) => {
    const { teamId } = c.var.auth;
    const { limit, cursor } = c.req.valid('query');
    const after = cursor === undefined ? undefined : decodeTagCursor(cursor);
    const db = teamDatabase(c.env, teamId);
    // Each side walks its (team, tag) index in order and stops after limit + 1 distinct tags; the merged page's
    // first `limit` tags are then exact, whichever side holds them.
    const [onConversations, onMessages] = await db.batch([
      db
        .select({ tag: conversationTags.tag, count: sql<number>`count(*)` })
        .from(conversationTags)
        .where(
          and(eq(conversationTags.teamId, teamId), after === undefined ? undefined : gt(conversationTags.tag, after)),
        )
        .groupBy(conversationTags.tag)
        .orderBy(conversationTags.tag)
        .limit(limit + 1),
      db
        .select({ tag: messageTags.tag, count: sql<number>`count(*)` })
        .from(messageTags)
        .where(and(eq(messageTags.teamId, teamId), after === undefined ? undefined : gt(messageTags.tag, after)))
        .groupBy(messageTags.tag)
        .orderBy(messageTags.tag)
        .limit(limit + 1),
    ]);
    const uses = new Map<string, z.infer<typeof TagUse>>();
    const use = (tag: string) => {
      const found = uses.get(tag) ?? { tag, conversations: 0, messages: 0 };
      uses.set(tag, found);
      return found;
    };
    for (const row of onConversations) use(row.tag).conversations = Number(row.count);
    for (const row of onMessages) use(row.tag).messages = Number(row.count);
    const merged = [...uses.values()].sort((a, b) => compareTags(a.tag, b.tag));
    const data = merged.slice(0, limit);
    const last = data.at(-1);
    return c.json({ data, nextCursor: merged.length > limit && last ? encodeCursorKey(last.tag) : null }, 200);
  },
);

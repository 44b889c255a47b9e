import { createRoute, type z } from '@hono/zod-openapi';
import { and, notInArray, type SQL } from 'drizzle-orm';
import { requireApiKey } from '../auth/middleware.ts';
import type { Database } from '../db/client.ts';
import type { conversationTags, messageTags } from '../db/schema/index.ts';
import { errorResponses } from '../http/schemas.ts';
import { MAX_TAGS, TagSet } from './schema.ts';

type TagTable = typeof conversationTags | typeof messageTags;

/**
 * Makes the tags of one owner (a conversation, or a message) exactly `rows`: deletes the others and inserts the new
 * ones, so tags that stay keep their date. One batch is one transaction: readers see the old set or the new one,
 * never a mix.
 */
export async function replaceTagSet<T extends TagTable>(
  db: Database,
  table: T,
  owner: SQL | undefined,
  rows: T['$inferInsert'][],
): Promise<void> {
  const tags = rows.map((row) => row.tag);
  const remove = db.delete(table).where(tags.length ? and(owner, notInArray(table.tag, tags)) : owner);
  if (rows.length === 0) await remove;
  else await db.batch([remove, db.insert(table).values(rows).onConflictDoNothing()]);
}

const tagSetResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: TagSet } },
});

/**
 * The two routes of a tag set at `path` (a conversation's, a message's): PUT replaces it with the `chat` scope —
 * tags are labels the integration running a conversation sets as it goes, with the key that sends its messages —
 * and GET reads it with `read`. `owner` names what carries the tags in the summaries.
 */
export function tagSetRoutes<Params extends z.ZodObject>(path: string, params: Params, owner: string) {
  return {
    put: createRoute({
      method: 'put',
      path,
      tags: ['Conversations'],
      summary: `Replace the tags of ${owner} (at most ${MAX_TAGS}; duplicates are merged)`,
      description: 'Needs the `chat` scope. An empty list removes every tag. Tags already set keep their date.',
      middleware: [requireApiKey('chat')] as const,
      request: { params, body: { required: true, content: { 'application/json': { schema: TagSet } } } },
      responses: { 200: tagSetResponse('The tags now set, sorted'), ...errorResponses },
    }),
    get: createRoute({
      method: 'get',
      path,
      tags: ['Conversations'],
      summary: `The tags of ${owner}, sorted`,
      middleware: [requireApiKey('read')] as const,
      request: { params },
      responses: { 200: tagSetResponse('The tags'), ...errorResponses },
    }),
  };
}

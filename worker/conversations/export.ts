import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, desc, eq, inArray, lt, or } from 'drizzle-orm';
import { requireApiKey } from '../auth/middleware.ts';
import type { Database } from '../db/client.ts';
import { conversations, conversationTags, messages, messageTags } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import { createRouter } from '../http/app.ts';
import { errorResponses } from '../http/schemas.ts';
import { sortTags } from '../tags/schema.ts';
import { ExportBodies } from './export-bodies.ts';
import { CSV_HEADER, csvLines, type ExportedConversation, jsonLine } from './export-rows.ts';
import { ConversationFilters, conversationConditions } from './list.ts';

/**
 * D1 binds at most 100 parameters per statement and runs at most 1,000 queries per Worker invocation (D1 limits).
 * A page of 90 conversations binds 90 ids + the team in each of its three child reads; a page costs 4 queries, so
 * 10,000 conversations take 112 pages = 448 queries, well inside one invocation. Bodies add, per page, a list per new
 * day and a get per archive object of the page's days (export-bodies.ts).
 */
export const EXPORT_PAGE = 90;

const ExportQuery = ConversationFilters.omit({ cursor: true, limit: true }).extend({
  format: z
    .enum(['csv', 'jsonl'])
    .default('csv')
    .openapi({ description: 'csv: one row per message; jsonl: one conversation per line' }),
});

type Row = typeof conversations.$inferSelect;

/** The next page of matching conversations after `last`, newest first, with their tags and messages. */
async function exportPage(
  db: Database,
  bodies: ExportBodies,
  teamId: string,
  where: ReturnType<typeof conversationConditions>,
  last: Row | undefined,
): Promise<ExportedConversation[]> {
  const after = last
    ? or(
        lt(conversations.createdAt, last.createdAt),
        and(eq(conversations.createdAt, last.createdAt), lt(conversations.id, last.id)),
      )
    : undefined;
  const rows = await db
    .select()
    .from(conversations)
    .where(and(...where, after))
    .orderBy(desc(conversations.createdAt), desc(conversations.id))
    .limit(EXPORT_PAGE);
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  // Messages are read from D1's index of each transcript (the queue consumer writes it), not from 90 Durable Objects:
  // one batch, one round trip, and no subrequest per conversation; their bodies from the archive (export-bodies.ts).
  const [indexRows, tagRows, messageTagRows] = await db.batch([
    db
      .select()
      .from(messages)
      .where(and(eq(messages.teamId, teamId), inArray(messages.conversationId, ids)))
      .orderBy(asc(messages.conversationId), asc(messages.position)),
    db
      .select({ conversationId: conversationTags.conversationId, tag: conversationTags.tag })
      .from(conversationTags)
      .where(and(eq(conversationTags.teamId, teamId), inArray(conversationTags.conversationId, ids))),
    db
      .select({ messageId: messageTags.messageId, tag: messageTags.tag })
      .from(messageTags)
      .where(and(eq(messageTags.teamId, teamId), inArray(messageTags.conversationId, ids))),
  ]);
  const messageRows = await bodies.fill(indexRows);
  const group = <T>(items: T[], key: (item: T) => string) => {
    const map = new Map<string, T[]>();
    for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
    return map;
  };
  const byConversation = group(messageRows, (m) => m.conversationId);
  const tags = group(tagRows, (t) => t.conversationId);
  const messageTagsById = group(messageTagRows, (t) => t.messageId);
  return rows.map((conversation) => ({
    conversation,
    tags: sortTags((tags.get(conversation.id) ?? []).map((t) => t.tag)),
    messages: (byConversation.get(conversation.id) ?? []).map((message) => ({
      message,
      tags: sortTags((messageTagsById.get(message.id) ?? []).map((t) => t.tag)),
    })),
  }));
}

export const conversationExportRoutes = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/api/v1/conversations/export',
    tags: ['Conversations'],
    summary: 'Export every matching conversation with its messages and tags, streamed as CSV or JSONL',
    description:
      'Takes the list filters (no cursor: the whole result). CSV has one row per message; tags are joined by `;` ' +
      '(a tag never contains one); times are ISO 8601. Messages come from the D1 index and their bodies from the ' +
      'message archive, both written by the queue consumer, which trails a live conversation by seconds.',
    middleware: [requireApiKey('read')] as const,
    request: { query: ExportQuery },
    responses: {
      200: {
        description: 'The export, streamed',
        content: { 'text/csv': { schema: z.string() }, 'application/x-ndjson': { schema: z.string() } },
      },
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  async (c) => {
    const { teamId } = c.var.auth;
    const { format, ...filters } = c.req.valid('query');
    const db = teamDatabase(c.env, teamId);
    // Built before the stream starts, so a bad filter is still a 400 and not a broken download.
    const where = conversationConditions(db, teamId, filters);
    const bodies = new ExportBodies(c.env, teamId);
    const encoder = new TextEncoder();
    let last: Row | undefined;
    let started = false;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const lines: string[] = [];
        if (!started && format === 'csv') lines.push(CSV_HEADER);
        started = true;
        const page = await exportPage(db, bodies, teamId, where, last);
        for (const entry of page) lines.push(...(format === 'csv' ? csvLines(entry) : [jsonLine(entry)]));
        if (lines.length > 0) controller.enqueue(encoder.encode(`${lines.join('\n')}\n`));
        last = page.at(-1)?.conversation;
        if (page.length < EXPORT_PAGE) controller.close();
      },
    });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(stream, {
      status: 200,
      headers: {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="parley-conversations-${day}.${format}"`,
        'cache-control': 'no-store',
      },
    });
  },
);

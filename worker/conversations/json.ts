import { z } from '@hono/zod-openapi';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { conversationTags } from '../db/schema/index.ts';
import { sortTags } from '../tags/schema.ts';
import { type ConversationRow, presentConversation } from './lookup.ts';

/** The conversation as every route returns it: the stored row plus its tags. */
export const ConversationSchema = z
  .object({
    id: z.string(),
    chatbotId: z.string(),
    chatbotVersionId: z.string(),
    participantId: z.string().nullable(),
    channelId: z
      .string()
      .nullable()
      .openapi({ description: 'The channel it came in on; null for the API and the widget' }),
    status: z.enum(['active', 'ended']),
    messageCount: z.number().int(),
    createdAt: z.string(),
    lastMessageAt: z.string().nullable(),
    tags: z.array(z.string()),
  })
  .openapi('Conversation');

export type Conversation = z.infer<typeof ConversationSchema>;

/**
 * D1 binds at most 100 parameters per statement (D1 limits); a page holds up to 100 conversations and the query also
 * binds the team, so the ids go in chunks, all chunks in one batch (one round trip).
 */
const IDS_PER_QUERY = 90;

/** The tags of each conversation (sorted), in one round trip for a whole page. */
export async function tagsByConversation(
  db: Database,
  teamId: string,
  conversationIds: string[],
): Promise<Map<string, string[]>> {
  const tags = new Map<string, string[]>(conversationIds.map((id) => [id, []]));
  if (conversationIds.length === 0) return tags;
  const query = (ids: string[]) =>
    db
      .select({ conversationId: conversationTags.conversationId, tag: conversationTags.tag })
      .from(conversationTags)
      .where(and(eq(conversationTags.teamId, teamId), inArray(conversationTags.conversationId, ids)));
  const chunks: string[][] = [];
  for (let i = 0; i < conversationIds.length; i += IDS_PER_QUERY)
    chunks.push(conversationIds.slice(i, i + IDS_PER_QUERY));
  const [first, ...rest] = chunks.map(query);
  const results = await db.batch([first as ReturnType<typeof query>, ...rest]);
  for (const row of results.flat()) tags.get(row.conversationId)?.push(row.tag);
  for (const [id, list] of tags) tags.set(id, sortTags(list));
  return tags;
}

export async function presentConversations(db: Database, teamId: string, rows: ConversationRow[]) {
  const tags = await tagsByConversation(
    db,
    teamId,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({ ...presentConversation(row), tags: tags.get(row.id) ?? [] }));
}

export async function presentOne(db: Database, row: ConversationRow) {
  const [presented] = await presentConversations(db, row.teamId, [row]);
  return presented as z.infer<typeof ConversationSchema>;
}

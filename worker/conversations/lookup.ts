import { and, eq } from 'drizzle-orm';
import type { ConversationMeta } from '../conversation/meta.ts';
import { conversations } from '../db/schema/index.ts';
import { teamDatabase } from '../db/shards.ts';
import type { Env } from '../env.ts';
import { notFound } from '../http/errors.ts';
import { iso } from '../http/schemas.ts';

export type ConversationRow = typeof conversations.$inferSelect;

/** A conversation of this team, or a 404 that says nothing about other teams' conversations. */
export async function loadConversation(env: Env, teamId: string, id: string): Promise<ConversationRow> {
  const row = await findConversation(env, teamId, id);
  if (!row) throw notFound('Conversation');
  return row;
}

/** A conversation of this team, or undefined. */
export function findConversation(env: Env, teamId: string, id: string): Promise<ConversationRow | undefined> {
  return teamDatabase(env, teamId).query.conversations.findFirst({
    where: and(eq(conversations.id, id), eq(conversations.teamId, teamId)),
  });
}

export const presentConversation = (row: ConversationRow) => ({
  id: row.id,
  chatbotId: row.chatbotId,
  chatbotVersionId: row.chatbotVersionId,
  participantId: row.participantId,
  channelId: row.channelId,
  status: row.status,
  messageCount: row.messageCount,
  createdAt: iso(row.createdAt) as string,
  lastMessageAt: iso(row.lastMessageAt),
});

/**
 * What the conversation object needs to know about itself on a first call. The participant goes with it: a turn's
 * reminder tools, participant data and conditions, and the event actions that reach the participant read it here.
 */
export const conversationMeta = (row: ConversationRow): ConversationMeta => ({
  conversationId: row.id,
  teamId: row.teamId,
  chatbotId: row.chatbotId,
  chatbotVersionId: row.chatbotVersionId,
  ...(row.participantId && { participantId: row.participantId }),
});

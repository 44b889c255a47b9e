import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { chatbots } from '../db/schema/index.ts';
import { forgetTeamChatbots } from './start-cache.ts';
import { chatbotView, findChatbot } from './store.ts';

/**
 * Archives or restores a chatbot. Archiving keeps the first archive time (archiving twice changes nothing) and
 * deletes nothing: conversations, versions and analytics stay, only new conversations are refused.
 */
export async function setArchived(db: Database, teamId: string, idOrSlug: string, archived: boolean) {
  const chatbot = await findChatbot(db, teamId, idOrSlug);
  const now = Date.now();
  const [updated] = await db
    .update(chatbots)
    .set({ archivedAt: archived ? sql`COALESCE(${chatbots.archivedAt}, ${now})` : null, updatedAt: now })
    .where(and(eq(chatbots.id, chatbot.id), eq(chatbots.teamId, teamId)))
    .returning();
  forgetTeamChatbots(teamId);
  return chatbotView(db, updated ?? chatbot);
}

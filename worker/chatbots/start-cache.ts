import type { Database } from '../db/client.ts';
import { IsolateCache } from '../ports/isolate-cache.ts';
import { type ChatbotRow, findChatbot } from './store.ts';

/** What starting a conversation needs of its chatbot (POST /api/v1/conversations). */
export type StartableChatbot = Pick<ChatbotRow, 'id' | 'teamId' | 'publishedVersionId' | 'archivedAt'>;

/**
 * How long a chatbot's published version and archive state are reused to start conversations. A publish or archive
 * evicts the team's entries in the isolate that made it at once (`forgetTeamChatbots`); conversations started through
 * other isolates pick it up within this time. Ten seconds keeps that short while a chatbot starting many
 * conversations costs each isolate one read per 10 s instead of one per conversation (issue 19 §2, bench:scale).
 */
export const START_CACHE_TTL_MS = 10_000;

/** Four short strings per entry (≈ 200 bytes with the key): 1,000 chatbots stay under 1 MB. */
const startable = new IsolateCache<StartableChatbot>({ maxEntries: 1_000, ttlMs: START_CACHE_TTL_MS });

/** The chatbot by id or slug, from memory when read within START_CACHE_TTL_MS; a 404 is never remembered. */
export async function findChatbotToStart(db: Database, teamId: string, idOrSlug: string): Promise<StartableChatbot> {
  const key = `${teamId}:${idOrSlug}`;
  const cached = startable.get(key);
  if (cached) return cached;
  const epoch = startable.evictionEpoch;
  const row = await findChatbot(db, teamId, idOrSlug);
  const value = {
    id: row.id,
    teamId: row.teamId,
    publishedVersionId: row.publishedVersionId,
    archivedAt: row.archivedAt,
  };
  startable.set(key, value, { unlessEvictedSince: epoch });
  return value;
}

/** Called after a chatbot of the team is published, edited (slug) or archived. */
export function forgetTeamChatbots(teamId: string): void {
  startable.deleteWhere((chatbot) => chatbot.teamId === teamId);
}

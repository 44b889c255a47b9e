import { and, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { FrozenActions } from '../custom-actions/frozen-types.ts';
import type { Database } from '../db/client.ts';
import { chatbots, chatbotVersions, knowledgeCollections } from '../db/schema/index.ts';
import { decodeCursor, encodeCursor } from '../http/cursor.ts';
import { notFound } from '../http/errors.ts';
import { newId } from '../ids.ts';
import type { KnowledgePins } from '../knowledge/pins/types.ts';
import type { AnyDefinition } from '../pipelines/definition.ts';
import { forgetTeamChatbots } from './start-cache.ts';
import type { ChatbotRow, VersionRow } from './store.ts';

export async function findVersion(db: Database, chatbot: ChatbotRow, number: number): Promise<VersionRow> {
  const row = await db.query.chatbotVersions.findFirst({
    where: and(eq(chatbotVersions.chatbotId, chatbot.id), eq(chatbotVersions.number, number)),
  });
  if (!row) throw notFound('Version');
  return row;
}

/**
 * Published versions, newest first. The page key is the version number rather than the time: numbers are unique
 * per chatbot and are the order people read, even when two publishes share a millisecond.
 */
export async function listVersions(db: Database, chatbot: ChatbotRow, limit: number, cursor: string | undefined) {
  const before = cursor === undefined ? undefined : lt(chatbotVersions.number, decodeCursor(cursor).createdAt);
  const rows = await db
    .select({
      id: chatbotVersions.id,
      number: chatbotVersions.number,
      status: chatbotVersions.status,
      note: chatbotVersions.note,
      createdAt: chatbotVersions.createdAt,
    })
    .from(chatbotVersions)
    .where(and(eq(chatbotVersions.chatbotId, chatbot.id), gt(chatbotVersions.number, 0), before))
    .orderBy(desc(chatbotVersions.number))
    .limit(limit + 1);
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor({ createdAt: last.number, id: last.id }) : null;
  return { data, nextCursor };
}

/**
 * Makes `definition` (the draft as the caller read and checked it) the next immutable version, with `pins` (the
 * collections it references, computed by the caller from that same definition just before: which collections a
 * definition uses is only known to the node kinds' `references()`, in JS) and makes it the published one. The number
 * is computed inside the same atomic D1 batch as the insert, so two concurrent publishes cannot both take it (and the
 * unique index on (chatbot_id, number) would refuse it anyway). The insert also requires every pinned collection to
 * still exist, so a collection deleted between the pins' read and the batch publishes nothing: `null` then.
 */
export async function publishDraft(
  db: Database,
  chatbot: ChatbotRow,
  note: string,
  definition: AnyDefinition,
  pins: KnowledgePins = {},
  actions: FrozenActions = {},
): Promise<VersionRow | null> {
  const now = Date.now();
  const id = newId('ver', now);
  const v = chatbotVersions;
  const pinnedIds = Object.keys(pins);
  const collectionsExist = pinnedIds.length
    ? sql`AND (SELECT COUNT(*) FROM ${knowledgeCollections} AS kc WHERE kc.team_id = draft.team_id
        AND kc.id IN (SELECT value FROM json_each(${JSON.stringify(pinnedIds)}))) = ${pinnedIds.length}`
    : sql``;
  const [, , inserted] = await db.batch([
    // Columns in the table's order: id, team_id, chatbot_id, number, status, note, definition, created_by, created_at,
    // knowledge, actions.
    db.insert(v).select(sql`
      SELECT ${id}, draft.team_id, draft.chatbot_id,
        (SELECT COALESCE(MAX(other.number), 0) + 1 FROM ${v} AS other WHERE other.chatbot_id = draft.chatbot_id),
        'published', ${note}, ${JSON.stringify(definition)}, NULL, ${now}, ${JSON.stringify(pins)}, ${JSON.stringify(actions)}
      FROM ${v} AS draft
      WHERE draft.chatbot_id = ${chatbot.id} AND draft.team_id = ${chatbot.teamId} AND draft.number = 0
      ${collectionsExist}`),
    db
      .update(chatbots)
      .set({ publishedVersionId: id, updatedAt: now })
      .where(
        and(
          eq(chatbots.id, chatbot.id),
          eq(chatbots.teamId, chatbot.teamId),
          sql`EXISTS (SELECT 1 FROM ${v} WHERE ${v.id} = ${id})`,
        ),
      ),
    db.select().from(v).where(eq(v.id, id)),
  ]);
  // New conversations start on the new version at once here; other isolates within START_CACHE_TTL_MS.
  forgetTeamChatbots(chatbot.teamId);
  const version = inserted[0];
  if (version) return version;
  // The draft is created with its chatbot and never deleted, so a missing row is a broken chatbot.
  if (pinnedIds.length === 0) throw new Error(`chatbot ${chatbot.id} has no draft to publish`);
  return null;
}

/** Replaces the draft's definition, creating the draft if the chatbot has none (rows not made by the API). */
export function saveDraft(db: Database, chatbot: ChatbotRow, definition: AnyDefinition, now: number) {
  return db
    .insert(chatbotVersions)
    .values({
      id: newId('ver', now),
      teamId: chatbot.teamId,
      chatbotId: chatbot.id,
      number: 0,
      status: 'draft',
      note: '',
      definition,
      createdBy: null,
      createdAt: now,
    })
    .onConflictDoUpdate({ target: [chatbotVersions.chatbotId, chatbotVersions.number], set: { definition } });
}

/**
 * Rolls the draft back to `version`'s definition; published versions themselves never change. The version's
 * knowledge pins are not carried over: a draft has none (it searches the latest), and publishing the restored draft
 * pins each collection at its revision then (docs/knowledge.md#pinned-revisions). The old version keeps its pins, so
 * the chunks they need are kept (worker/knowledge/index/prune.ts).
 */
export async function restoreVersion(db: Database, chatbot: ChatbotRow, version: VersionRow): Promise<void> {
  const now = Date.now();
  await db.batch([
    saveDraft(db, chatbot, version.definition, now),
    db
      .update(chatbots)
      .set({ updatedAt: now })
      .where(and(eq(chatbots.id, chatbot.id), eq(chatbots.teamId, chatbot.teamId))),
  ]);
}

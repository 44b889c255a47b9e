import { and, eq, or } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { chatbots, chatbotVersions } from '../db/schema/index.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { iso } from '../http/schemas.ts';
import { presentPins } from '../knowledge/pins/compute.ts';
import { definitionRevision } from './revision.ts';

export type ChatbotRow = typeof chatbots.$inferSelect;
export type VersionRow = typeof chatbotVersions.$inferSelect;

/** A chatbot of this team by id or slug, or a 404 that says nothing about other teams' chatbots. */
export async function findChatbot(db: Database, teamId: string, idOrSlug: string): Promise<ChatbotRow> {
  const row = await db.query.chatbots.findFirst({
    where: and(eq(chatbots.teamId, teamId), or(eq(chatbots.id, idOrSlug), eq(chatbots.slug, idOrSlug))),
  });
  if (!row) throw notFound('Chatbot');
  return row;
}

/** The chatbot with its draft and the number of its published version, as every chatbot route answers. */
export async function chatbotView(db: Database, chatbot: ChatbotRow) {
  const draftOrPublished = chatbot.publishedVersionId
    ? or(eq(chatbotVersions.number, 0), eq(chatbotVersions.id, chatbot.publishedVersionId))
    : eq(chatbotVersions.number, 0);
  const rows = await db.query.chatbotVersions.findMany({
    where: and(eq(chatbotVersions.chatbotId, chatbot.id), draftOrPublished),
  });
  // The API creates every chatbot with its draft; rows inserted by other means may lack one until the first PATCH.
  const draft = rows.find((row) => row.number === 0) ?? null;
  const published = rows.find((row) => row.id === chatbot.publishedVersionId);
  return presentChatbot(chatbot, draft, published?.number ?? null);
}

export function presentChatbot(chatbot: ChatbotRow, draft: VersionRow | null, publishedVersion: number | null) {
  return {
    id: chatbot.id,
    slug: chatbot.slug,
    name: chatbot.name,
    description: chatbot.description,
    archived: chatbot.archivedAt !== null,
    archivedAt: iso(chatbot.archivedAt),
    publishedVersion,
    draft: draft && presentVersion(draft),
    createdAt: iso(chatbot.createdAt) as string,
    updatedAt: iso(chatbot.updatedAt) as string,
  };
}

export const presentVersionSummary = (
  row: Omit<VersionRow, 'definition' | 'teamId' | 'chatbotId' | 'createdBy' | 'knowledge' | 'actions'>,
) => ({
  id: row.id,
  number: row.number,
  status: row.status,
  note: row.note,
  createdAt: iso(row.createdAt) as string,
});

export const presentVersion = (row: VersionRow) => ({
  ...presentVersionSummary(row),
  definition: row.definition,
  revision: definitionRevision(row.definition),
  knowledge: presentPins(row.knowledge),
});

export const isSlugConflict = (error: unknown) => isUniqueViolation(error, 'chatbots.team_id, chatbots.slug');

export const slugTaken = (slug: string, field: string) =>
  new ApiError(409, 'slug_taken', `Another chatbot of this team already has the slug "${slug}"`, [
    { field, message: 'already taken' },
  ]);

/** The chatbot's draft row (version 0), or null for rows not made by the API. */
export async function currentDraft(db: Database, chatbot: ChatbotRow): Promise<VersionRow | null> {
  const row = await db.query.chatbotVersions.findFirst({
    where: and(
      eq(chatbotVersions.chatbotId, chatbot.id),
      eq(chatbotVersions.teamId, chatbot.teamId),
      eq(chatbotVersions.number, 0),
    ),
  });
  return row ?? null;
}

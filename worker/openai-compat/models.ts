import { and, asc, eq, isNotNull, isNull, or } from 'drizzle-orm';
import { database } from '../db/client.ts';
import { chatbots, chatbotVersions, teams } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import type { AnyDefinition } from '../pipelines/definition.ts';
import { modelNotFound } from './errors.ts';

export interface ResolvedModel {
  chatbotId: string;
  versionId: string;
  /** Set when the model string named a version (`slug@3`); conversations of other versions do not match it. */
  pinned: boolean;
  definition: AnyDefinition;
}

// `slug@3`: a published version by number. Slugs and ids never contain `@`.
const PINNED = /^(.+)@([1-9][0-9]{0,8})$/;

/**
 * The chatbot (and version) a `model` string names: the chatbot's id or slug, optionally `@N` for published
 * version N. Archived chatbots, unpublished ones and other teams' chatbots are all "no such model".
 */
export async function resolveModel(env: Env, teamId: string, model: string): Promise<ResolvedModel> {
  const match = PINNED.exec(model);
  const name = match?.[1] ?? model;
  const db = database(env.DB);
  const chatbot = await db.query.chatbots.findFirst({
    where: and(
      eq(chatbots.teamId, teamId),
      or(eq(chatbots.id, name), eq(chatbots.slug, name)),
      isNull(chatbots.archivedAt),
    ),
  });
  if (!chatbot) throw modelNotFound();
  const version = await db.query.chatbotVersions.findFirst({
    where: and(
      eq(chatbotVersions.chatbotId, chatbot.id),
      eq(chatbotVersions.teamId, teamId),
      eq(chatbotVersions.status, 'published'),
      match ? eq(chatbotVersions.number, Number(match[2])) : eq(chatbotVersions.id, chatbot.publishedVersionId ?? ''),
    ),
  });
  if (!version) throw modelNotFound();
  return { chatbotId: chatbot.id, versionId: version.id, pinned: match !== null, definition: version.definition };
}

export interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/**
 * The team's chatbots that can answer, by slug, oldest first. Not paginated: OpenAI's list has no cursor and its
 * clients read one page; a team's chatbots are a short list.
 */
export async function listModels(env: Env, teamId: string): Promise<ModelEntry[]> {
  const db = database(env.DB);
  const [team, rows] = await Promise.all([
    db.query.teams.findFirst({ where: eq(teams.id, teamId), columns: { slug: true } }),
    db
      .select({ slug: chatbots.slug, createdAt: chatbots.createdAt })
      .from(chatbots)
      .where(and(eq(chatbots.teamId, teamId), isNull(chatbots.archivedAt), isNotNull(chatbots.publishedVersionId)))
      .orderBy(asc(chatbots.createdAt), asc(chatbots.id))
      .limit(1000),
  ]);
  return rows.map((row) => ({
    id: row.slug,
    object: 'model',
    created: Math.floor(row.createdAt / 1000),
    owned_by: team?.slug ?? teamId,
  }));
}

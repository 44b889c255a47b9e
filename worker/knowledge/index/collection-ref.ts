import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { knowledgeCollections } from '../../db/schema/index.ts';
import type { CollectionRef } from './knowledge-index.ts';

export type CollectionRow = typeof knowledgeCollections.$inferSelect;

/** A team's collection, or null (another team's id is null too: callers answer 404). */
export async function loadCollection(
  db: Database,
  teamId: string,
  collectionId: string,
): Promise<CollectionRow | null> {
  const [row] = await db
    .select()
    .from(knowledgeCollections)
    .where(and(eq(knowledgeCollections.teamId, teamId), eq(knowledgeCollections.id, collectionId)))
    .limit(1);
  return row ?? null;
}

/** What the index needs to address a collection's chunks and vectors. */
export function refOf(row: CollectionRow): CollectionRef {
  return {
    teamId: row.teamId,
    collectionId: row.id,
    embedder: { pluginId: row.embedderPluginId, model: row.embeddingModel, dimensions: row.dimensions },
  };
}

import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { knowledgeCollections } from '../../db/schema/index.ts';
import type { CollectionRow } from '../index/collection-ref.ts';
import type { KnowledgePin, KnowledgePins } from './types.ts';

export function pinOf(row: CollectionRow): KnowledgePin {
  return {
    collectionId: row.id,
    name: row.name,
    summary: row.description,
    revision: row.revision,
    embedder: { pluginId: row.embedderPluginId, model: row.embeddingModel, dimensions: row.dimensions },
    fetchK: row.fetchK,
    denseWeight: row.denseWeight,
    rrfK: row.rrfK,
    ...(row.reranker && { reranker: row.reranker }),
  };
}

/**
 * The pins of `collectionIds` as the team's collections stand now (their published `revision`, never one still
 * ingesting), read in one D1 query scoped by the team, and the ids that name no collection of the team (another
 * team's id reads exactly like a deleted one).
 */
export async function computePins(
  db: Database,
  teamId: string,
  collectionIds: readonly string[],
): Promise<{ pins: KnowledgePins; missing: string[] }> {
  if (collectionIds.length === 0) return { pins: {}, missing: [] };
  const rows = await db
    .select()
    .from(knowledgeCollections)
    .where(and(eq(knowledgeCollections.teamId, teamId), inArray(knowledgeCollections.id, [...collectionIds])));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const pins: KnowledgePins = {};
  const missing: string[] = [];
  for (const id of collectionIds) {
    const row = byId.get(id);
    if (row) pins[id] = pinOf(row);
    else missing.push(id);
  }
  return { pins, missing };
}

/** What the version API shows of a version's pins: collection id → the revision and the name it had at publish. */
export function presentPins(pins: KnowledgePins): Record<string, { revision: number; name: string }> {
  return Object.fromEntries(Object.entries(pins).map(([id, pin]) => [id, { revision: pin.revision, name: pin.name }]));
}

import type { Env } from '../../env.ts';
import { type CollectionRow, refOf } from '../index/collection-ref.ts';
import type { KnowledgeIndex } from '../index/knowledge-index.ts';

/**
 * The lowest revision of the collection any chatbot version of the team pins (worker/knowledge/pins/types.ts), or
 * null when none does. Every version counts, published or not current: a conversation keeps the version it started
 * with for its whole life, and an old version can be restored, so "still serving" is "still exists" — simple and
 * safe. One D1 query over the team's versions (`json_each` of each version's `knowledge`).
 */
export async function lowestPinnedRevision(env: Env, teamId: string, collectionId: string): Promise<number | null> {
  const row = await env.DB.prepare(
    `SELECT MIN(CAST(json_extract(pin.value, '$.revision') AS INTEGER)) AS revision
     FROM chatbot_versions AS version, json_each(version.knowledge) AS pin
     WHERE version.team_id = ?1 AND pin.key = ?2`,
  )
    .bind(teamId, collectionId)
    .first<{ revision: number | null }>();
  return row?.revision ?? null;
}

/**
 * The revision below which nothing searches the collection any more: the lowest pin, or the published revision
 * when no version pins it (drafts, the test chat and `latest` searches all search the published revision or above).
 */
export async function pruneFloor(env: Env, collection: Pick<CollectionRow, 'teamId' | 'id'>, published: number) {
  const pinned = await lowestPinnedRevision(env, collection.teamId, collection.id);
  return Math.min(pinned ?? published, published);
}

/**
 * After D1 published `revision`: the collection's KnowledgeDO records it (searches without a revision use it), then
 * drops the chunks retired at or below the prune floor. Pruning is housekeeping: its failure is logged and left for
 * the next publish (each run deletes everything below the floor), never failing the change that published.
 *
 * A version being published reads its pins just before its D1 batch; a prune that runs in between with a floor
 * above that pin could delete chunks the new version needs. The window is one D1 round trip and only chunks of a
 * document replaced in it are affected (docs/knowledge.md#pinned-revisions).
 */
export async function afterPublish(
  env: Env,
  index: KnowledgeIndex,
  collection: CollectionRow,
  revision: number | undefined,
): Promise<void> {
  if (revision === undefined) return;
  const ref = refOf(collection);
  await index.publishRevision(ref, revision);
  try {
    await index.prune(ref, await pruneFloor(env, collection, revision));
  } catch (error) {
    console.warn(`knowledge: pruning ${collection.id} failed (${error instanceof Error ? error.message : error})`);
  }
}

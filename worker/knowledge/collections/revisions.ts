import type { Env } from '../../env.ts';

/**
 * How a collection's revisions advance when several documents ingest at once (docs/knowledge.md#revisions).
 *
 * Every change (a document's ingestion, a delete) takes the next number from `next_revision` when it starts and
 * writes its chunks at that revision, so concurrent changes never share one. The collection's `revision` — what
 * "latest" searches and what a chatbot version pins — is then the highest number below every change still in
 * flight: `min(pending_revision) - 1`, or `next_revision` when none is. A document that finishes early waits behind
 * an older one still embedding; nothing is ever visible half-ingested. One UPDATE computes it, so two finishing at
 * once cannot race, and `MAX(revision, …)` keeps it from ever going back.
 */
export function allocateRevision(env: Env, teamId: string, collectionId: string): D1PreparedStatement {
  return env.DB.prepare(
    'UPDATE knowledge_collections SET next_revision = next_revision + 1 WHERE id = ?1 AND team_id = ?2',
  ).bind(collectionId, teamId);
}

/** The SQL value of the revision `allocateRevision` just handed out, for use in the same batch. */
export const ALLOCATED_REVISION = '(SELECT next_revision FROM knowledge_collections WHERE id = ?1 AND team_id = ?2)';

/**
 * Publishes what has finished (see above) and recounts the collection's documents and ready chunks; returns the
 * published `revision` (`publishedRevisionOf`), which the collection's KnowledgeDO is then told (pins/after-publish.ts).
 */
export function publishRevision(env: Env, teamId: string, collectionId: string): D1PreparedStatement {
  return env.DB.prepare(
    `UPDATE knowledge_collections SET
       revision = MAX(revision, COALESCE(
         (SELECT MIN(pending_revision) - 1 FROM knowledge_documents
           WHERE collection_id = ?1 AND team_id = ?2 AND pending_revision IS NOT NULL),
         next_revision)),
       document_count = (SELECT COUNT(*) FROM knowledge_documents WHERE collection_id = ?1 AND team_id = ?2),
       chunk_count = (SELECT COALESCE(SUM(chunks_total), 0) FROM knowledge_documents
           WHERE collection_id = ?1 AND team_id = ?2 AND status = 'ready'),
       updated_at = ?3
     WHERE id = ?1 AND team_id = ?2
     RETURNING revision`,
  ).bind(collectionId, teamId, Date.now());
}

/** The revision a `publishRevision` statement's result reports (undefined: the collection is gone). */
export function publishedRevisionOf(result: D1Result | undefined): number | undefined {
  const row = result?.results[0] as { revision?: unknown } | undefined;
  return typeof row?.revision === 'number' ? row.revision : undefined;
}

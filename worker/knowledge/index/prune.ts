import type { VectorStore } from '../../ports/vector-store.ts';
import { forgetDocumentsWithoutChunks } from './document-info.ts';
import type { CollectionRef } from './knowledge-index.ts';

/**
 * Rows removed per round: one Vectorize delete call (its batches are ≤ 1,000 ids, the upsert limit from Workers in
 * ../shared/platform-notes.md; vectorize-store.ts) and one `json_each` list well under DO SQLite's 100 KB statement.
 */
const PRUNE_BATCH = 1000;

/**
 * Deletes the chunks retired at or before `keepFrom` — rows, keyword-index entries and vectors — which no search at
 * a revision ≥ `keepFrom` can return (a chunk retired at R is visible only below R: chunk-rows.ts `visibleAt`).
 * Vectors go first, so a crash between leaves rows whose vectors are gone (never returned: a dense match needs its
 * row, and a keyword match of such a row is still correct), and the next run finishes the job. Returns how many.
 */
export async function pruneRetired(
  sql: SqlStorage,
  storage: DurableObjectStorage,
  store: VectorStore,
  ref: CollectionRef,
  keepFrom: number,
): Promise<number> {
  let pruned = 0;
  for (;;) {
    const rows = sql
      .exec<{ id: number; vector_id: string }>(
        'SELECT id, vector_id FROM chunks WHERE retired_rev IS NOT NULL AND retired_rev <= ? ORDER BY id LIMIT ?',
        keepFrom,
        PRUNE_BATCH,
      )
      .toArray();
    if (rows.length === 0) break;
    await store.deleteByIds(
      ref.teamId,
      rows.map((row) => row.vector_id),
    );
    const ids = JSON.stringify(rows.map((row) => row.id));
    storage.transactionSync(() => {
      sql.exec('DELETE FROM chunks_fts WHERE rowid IN (SELECT value FROM json_each(?))', ids);
      sql.exec('DELETE FROM chunks WHERE id IN (SELECT value FROM json_each(?))', ids);
    });
    pruned += rows.length;
    if (rows.length < PRUNE_BATCH) break;
  }
  if (pruned > 0) forgetDocumentsWithoutChunks(sql);
  return pruned;
}

/** Every vector id of the collection's chunks, live or retired, in pages: what deleting the collection removes. */
export function* vectorIdPages(sql: SqlStorage): Generator<string[]> {
  let after = 0;
  for (;;) {
    const rows = sql
      .exec<{ id: number; vector_id: string }>(
        'SELECT id, vector_id FROM chunks WHERE id > ? ORDER BY id LIMIT ?',
        after,
        PRUNE_BATCH,
      )
      .toArray();
    if (rows.length === 0) return;
    yield rows.map((row) => row.vector_id);
    after = rows.at(-1)?.id ?? after;
  }
}

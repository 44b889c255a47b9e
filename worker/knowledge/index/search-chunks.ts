import type { VectorStore } from '../../ports/vector-store.ts';
import { type ChunkRow, rowsByIds, rowsByVectorIds } from './chunk-rows.ts';
import { keywordSearch } from './keyword-search.ts';
import type { CollectionRef, SearchHit, SearchQuery } from './knowledge-index.ts';
import { reciprocalRankFusion } from './rrf.ts';
import { chunkFilter } from './vector-ids.ts';

/** Most candidates a search fetches from each side (Vectorize returns at most 50 matches with metadata). */
export const MAX_FETCH_K = 50;

interface Ranked {
  row: ChunkRow;
  score: number;
}

/** Whether `row` is one a search at `revision` may return (re-checked on dense matches: the index is authoritative). */
function visible(row: ChunkRow, query: SearchQuery): boolean {
  const inRevision =
    query.revision === undefined
      ? row.retired_rev === null
      : row.added_rev <= query.revision && (row.retired_rev === null || row.retired_rev > query.revision);
  return inRevision && (!query.documentIds || query.documentIds.includes(row.document_id));
}

async function denseRanking(
  sql: SqlStorage,
  store: VectorStore,
  ref: CollectionRef,
  query: SearchQuery,
  fetchK: number,
): Promise<Ranked[]> {
  const matches = await store.query(query.vector, {
    namespace: ref.teamId,
    topK: fetchK,
    filter: chunkFilter(ref, query.revision, query.documentIds),
  });
  const rows = rowsByVectorIds(
    sql,
    matches.map((m) => m.id),
  );
  const ranked: Ranked[] = [];
  for (const match of matches) {
    const row = rows.get(match.id);
    // A match this object has no row for (another collection's vector, a stale Vectorize copy) is never returned.
    if (row && visible(row, query)) ranked.push({ row, score: match.score });
  }
  return ranked;
}

function keywordRanking(sql: SqlStorage, query: SearchQuery, fetchK: number): Ranked[] {
  const matches = keywordSearch(sql, query.text, {
    limit: fetchK,
    ...(query.revision !== undefined && { revision: query.revision }),
    ...(query.documentIds && { documentIds: query.documentIds }),
  });
  const rows = rowsByIds(
    sql,
    matches.map((m) => m.chunkId),
  );
  return matches.flatMap((m) => {
    const row = rows.get(m.chunkId);
    return row ? [{ row, score: m.score }] : [];
  });
}

/**
 * A search of one collection's chunks: dense and keyword candidates (`fetchK` each, at least `topK`), fused by
 * Reciprocal Rank Fusion in `hybrid` mode (dense weighted `denseWeight`, keyword 1 − it), or one ranking alone.
 * Every hit carries the rank and score it had on each side, for the dashboard's query preview.
 */
export async function searchChunks(
  sql: SqlStorage,
  store: VectorStore,
  ref: CollectionRef,
  query: SearchQuery,
): Promise<SearchHit[]> {
  if (query.topK <= 0 || query.documentIds?.length === 0) return [];
  const fetchK = Math.min(MAX_FETCH_K, Math.max(query.fetchK, query.topK));
  const dense = query.mode === 'keyword' ? [] : await denseRanking(sql, store, ref, query, fetchK);
  const keyword = query.mode === 'dense' ? [] : keywordRanking(sql, query, fetchK);
  const key = (r: Ranked) => String(r.row.id);
  const byKey = new Map<string, ChunkRow>();
  for (const r of [...dense, ...keyword]) byKey.set(key(r), r.row);
  const denseBy = new Map(dense.map((r, i) => [key(r), { rank: i + 1, score: r.score }]));
  const keywordBy = new Map(keyword.map((r, i) => [key(r), { rank: i + 1, score: r.score }]));
  const single = query.mode === 'dense' ? dense : query.mode === 'keyword' ? keyword : undefined;
  const order = single
    ? single.map((r) => ({ id: key(r), score: r.score }))
    : reciprocalRankFusion(
        [
          { weight: query.denseWeight, ids: dense.map(key) },
          { weight: 1 - query.denseWeight, ids: keyword.map(key) },
        ],
        query.rrfK,
      );
  return order.slice(0, query.topK).flatMap(({ id, score }) => {
    const row = byKey.get(id);
    if (!row) return [];
    const denseHit = denseBy.get(id);
    const keywordHit = keywordBy.get(id);
    return [
      {
        documentId: row.document_id,
        chunkKey: row.chunk_key,
        ordinal: row.ordinal,
        text: row.text,
        context: row.context,
        ...(row.page !== null && { page: row.page }),
        score,
        ...(denseHit && { dense: denseHit }),
        ...(keywordHit && { keyword: keywordHit }),
      },
    ];
  });
}

import { database } from '../../db/client.ts';
import type { Env } from '../../env.ts';
import { embedTexts } from '../embed.ts';
import { knowledgeIndex } from '../index/client.ts';
import { type CollectionRow, loadCollection, refOf } from '../index/collection-ref.ts';
import type { SearchQuery } from '../index/knowledge-index.ts';
import { type RerankedHit, rerankHits } from '../rerank.ts';

export interface SearchOptions {
  query: string;
  /** Hits returned (default 10; at most 50, Vectorize's limit with metadata). */
  topK?: number;
  mode?: SearchQuery['mode'];
  /**
   * The collection revision to search, as a pinned chatbot version does. Omitted: the collection's published
   * `revision` (D1), never the raw latest rows — chunks of a change still ingesting are written at a higher revision
   * and stay invisible until it is published (worker/knowledge/collections/revisions.ts on the ingestion branch).
   */
  revision?: number;
  documentIds?: readonly string[];
  /** Re-rank the fused hits with the collection's re-ranker (default: whenever the collection has one). */
  rerank?: boolean;
}

export interface CollectionSearch {
  collection: CollectionRow;
  /** The revision searched. */
  revision: number;
  hits: RerankedHit[];
  /** True when the hits are in the re-ranker's order. */
  reranked: boolean;
  /** Why re-ranking was asked for but not applied (the hits are then in the fused order). */
  warning?: string;
}

/** Why a search was refused before it ran: a revision the collection has not reached. */
export class SearchRefused extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'SearchRefused';
  }
}

export const DEFAULT_TOP_K = 10;

/**
 * Searches one of the team's collections: loads it (null for a collection of another team, which callers answer
 * as 404), embeds the query with the collection's embedder (purpose `query`; not in `keyword` mode) and asks the
 * collection's KnowledgeDO, with the collection's fusion settings (fetchK never below topK). Embedder failures
 * propagate (EmbedderUnavailable, EmbedderError). With a re-ranker (the collection's, unless `rerank: false`), the
 * index is asked for `candidates` hits (never fewer than topK) and rerankHits returns the topK of its order; a
 * re-ranker that fails never fails the search (`reranked: false` and a `warning`).
 */
export async function searchCollection(
  env: Env,
  teamId: string,
  collectionId: string,
  options: SearchOptions,
): Promise<CollectionSearch | null> {
  const collection = await loadCollection(database(env.DB), teamId, collectionId);
  if (!collection) return null;
  if (options.revision !== undefined && options.revision > collection.revision) {
    throw new SearchRefused('revision', `the collection is at revision ${collection.revision}`);
  }
  const ref = refOf(collection);
  const revision = options.revision ?? collection.revision;
  const mode = options.mode ?? 'hybrid';
  const topK = options.topK ?? DEFAULT_TOP_K;
  const reranker = options.rerank === false ? null : collection.reranker;
  const indexTopK = reranker ? Math.max(topK, reranker.candidates) : topK;
  const vector =
    mode === 'keyword'
      ? new Float32Array(ref.embedder.dimensions)
      : ((await embedTexts(env, teamId, ref.embedder, [options.query], 'query')).vectors[0] ??
        new Float32Array(ref.embedder.dimensions));
  const hits = await knowledgeIndex(env).search(ref, {
    text: options.query,
    vector,
    topK: indexTopK,
    fetchK: Math.max(collection.fetchK, indexTopK),
    denseWeight: collection.denseWeight,
    rrfK: collection.rrfK,
    mode,
    revision,
    ...(options.documentIds && { documentIds: options.documentIds }),
  });
  if (!reranker) {
    const warning =
      options.rerank === true ? 'The collection has no re-ranker; hits are in the fused order.' : undefined;
    return { collection, revision, hits, reranked: false, ...(warning && { warning }) };
  }
  const outcome = await rerankHits(env, teamId, reranker, options.query, hits, topK);
  return { collection, revision, ...outcome };
}

import { database } from '../../db/client.ts';
import type { Env } from '../../env.ts';
import { embedTexts } from '../embed.ts';
import { knowledgeIndex } from '../index/client.ts';
import { type CollectionRow, loadCollection, refOf } from '../index/collection-ref.ts';
import type { SearchHit, SearchQuery } from '../index/knowledge-index.ts';

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
}

export interface CollectionSearch {
  collection: CollectionRow;
  /** The revision searched. */
  revision: number;
  hits: SearchHit[];
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
 * propagate (EmbedderUnavailable, EmbedderError).
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
  const vector =
    mode === 'keyword'
      ? new Float32Array(ref.embedder.dimensions)
      : ((await embedTexts(env, teamId, ref.embedder, [options.query], 'query')).vectors[0] ??
        new Float32Array(ref.embedder.dimensions));
  const hits = await knowledgeIndex(env).search(ref, {
    text: options.query,
    vector,
    topK,
    fetchK: Math.max(collection.fetchK, topK),
    denseWeight: collection.denseWeight,
    rrfK: collection.rrfK,
    mode,
    revision,
    ...(options.documentIds && { documentIds: options.documentIds }),
  });
  return { collection, revision, hits };
}

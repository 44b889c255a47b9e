import type { z } from 'zod';
import type { Clock } from './clock.ts';
import type { PluginManifest } from './plugin.ts';

/**
 * A re-ranker plugin: scores a handful of candidate passages against a query (a cross-encoder reads both together,
 * which first-stage retrieval cannot afford over a whole collection). Knowledge search hands it the fused hits of
 * hybrid search and returns them in its order (docs/knowledge.md#re-ranking).
 */
export interface RerankerPlugin<Settings extends z.ZodObject = z.ZodObject>
  extends PluginManifest<'reranker', Settings> {
  models: readonly RerankModel[];
  /**
   * The `topN` most relevant of `documents`, best first, each by its index in `documents`. Scores are comparable
   * within one call only (a cross-encoder's logit, a relevance probability, a BM25 sum): callers order by them and
   * show them, never threshold across queries. Empty `documents` → `[]` without calling the service.
   */
  rerank(ctx: RerankContext<z.infer<Settings>>, request: RerankRequest): Promise<RerankedDocument[]>;
}

export interface RerankModel {
  /** The provider's model name, e.g. `rerank-v3.5`, `@cf/baai/bge-reranker-base`. */
  id: string;
  label: string;
  /** Most documents one call accepts; the core never sends more (it re-ranks at most 50 candidates). */
  maxDocuments: number;
  /**
   * Longest query + document the model reads, in tokens. Longer documents are truncated (by the plugin or the
   * service), never refused: a re-ranked chunk is a chunk of a collection, whose size the admin chose.
   */
  maxInputTokens: number;
  /** True when the scores are lexical rather than semantic (the offline re-ranker): the dashboard says so. */
  lexical?: boolean;
}

export interface RerankRequest {
  model: string;
  query: string;
  /** At most the model's `maxDocuments`. */
  documents: readonly string[];
  /** How many results to return (≥ 1); fewer when there are fewer documents. */
  topN: number;
}

export interface RerankedDocument {
  /** Position in the request's `documents`. */
  index: number;
  /** Higher is more relevant; comparable within one call only. */
  score: number;
}

/**
 * The structural shape of Workers AI's `env.AI.run` for re-ranker models (workers-types'
 * Ai_Cf_Baai_Bge_Reranker_Base_Input / _Output), so the SDK needs no workers-types.
 */
export interface RerankerAiBinding {
  run(model: string, inputs: { query: string; contexts: { text: string }[]; top_k?: number }): Promise<unknown>;
}

export interface RerankContext<Settings> {
  settings: Settings;
  fetch: typeof fetch;
  clock: Clock;
  signal: AbortSignal;
  /** The Worker's `AI` binding, handed only to the re-ranker written for it (workers-ai-reranker). */
  binding?: RerankerAiBinding;
}

/**
 * A failure a retry can fix (429, 5xx, network: `retryable`, with the provider's `Retry-After` when it sent one) or
 * not (bad key, unknown model, a request the service refuses). Search never retries: it falls back to the fused order
 * and says why; the flag tells callers that run in the background (evaluations) whether to try again.
 */
export class RerankerError extends Error {
  constructor(
    message: string,
    readonly retryable = false,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'RerankerError';
  }
}

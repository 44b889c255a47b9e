import { rerankers } from '../../plugins/registry.ts';
import { type RerankedDocument, RerankerError } from '../../plugins/sdk/reranker.ts';
import type { CollectionReranker } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { openConfigsOf } from '../plugin-configs/store.ts';
import { systemClock } from '../ports/clock.ts';
import { outboundFetch } from '../security/outbound-fetch.ts';
import type { SearchHit } from './index/knowledge-index.ts';

/** The one re-ranker written for the Worker's `AI` binding: no other plugin is handed a binding (plugins/README.md). */
const WORKERS_AI_PLUGIN = 'workers-ai-reranker';
/**
 * A re-ranker sits on the search path (the conversation waits for retrieval): past this it is abandoned and the
 * fused order is used. Cohere's and Workers AI's re-rankers answer 20–50 passages well inside it.
 */
export const RERANK_TIMEOUT_MS = 10_000;

/** Why a re-rank call could not be made at all (unknown plugin or model, team has not configured it, no binding). */
export class RerankerUnavailable extends Error {
  override name = 'RerankerUnavailable';
}

/**
 * Re-ranks `documents` against `query` with the collection's re-ranker on the team's behalf: the `topN` best, best
 * first, by index into `documents`. A plugin whose settings are all optional (the offline re-ranker) works
 * unconfigured; others need the team's configuration. Failures surface as RerankerUnavailable or RerankerError;
 * nothing is retried here (search falls back instead of waiting).
 */
export async function rerankTexts(
  env: Env,
  teamId: string,
  ref: Pick<CollectionReranker, 'pluginId' | 'model'>,
  query: string,
  documents: readonly string[],
  topN: number,
  signal: AbortSignal = AbortSignal.timeout(RERANK_TIMEOUT_MS),
): Promise<RerankedDocument[]> {
  const plugin = rerankers.get(ref.pluginId);
  if (!plugin) throw new RerankerUnavailable(`re-ranker ${ref.pluginId} is not installed`);
  const model = plugin.models.find((m) => m.id === ref.model);
  if (!model) throw new RerankerUnavailable(`re-ranker ${ref.pluginId} has no model ${ref.model}`);
  if (documents.length === 0) return [];
  const configs = await openConfigsOf(env, teamId, 'reranker', [plugin.id]);
  const defaults = plugin.settings.safeParse({});
  const settings = configs.get(plugin.id) ?? (defaults.success ? defaults.data : undefined);
  if (!settings) throw new RerankerUnavailable(`re-ranker ${plugin.id} is not configured for this team`);
  const binding = plugin.id === WORKERS_AI_PLUGIN ? env.AI : undefined;
  if (plugin.id === WORKERS_AI_PLUGIN && !binding) {
    throw new RerankerUnavailable(
      'the workers-ai-reranker needs the AI binding ([ai] binding = "AI" in wrangler.toml)',
    );
  }
  const batch = documents.slice(0, model.maxDocuments);
  const results = await plugin.rerank(
    { settings, fetch: outboundFetch(env), clock: systemClock, signal, ...(binding && { binding }) },
    { model: model.id, query, documents: batch, topN: Math.min(topN, batch.length) },
  );
  const seen = new Set<number>();
  for (const { index, score } of results) {
    const valid = Number.isInteger(index) && index >= 0 && index < batch.length && Number.isFinite(score);
    if (!valid || seen.has(index)) throw new RerankerError(`${plugin.id} answered an index or score out of range`);
    seen.add(index);
  }
  return [...results].sort((a, b) => b.score - a.score || a.index - b.index);
}

/** A search hit with its place in the re-ranker's order, next to its dense and keyword ranks. */
export type RerankedHit = SearchHit & { rerank?: { rank: number; score: number } };

export interface RerankOutcome {
  hits: RerankedHit[];
  /** False when the re-ranker could not answer: `hits` are then the fused order and `warning` says why. */
  reranked: boolean;
  warning?: string;
}

/**
 * Re-orders the first `reranker.candidates` (at least topK) of `hits` (fused order) and returns the `topK` best with `rerank` on
 * each. The re-ranker reads a chunk's heading path before its text, as the chunk was embedded with it. Never
 * throws: a re-ranker that fails or is unavailable leaves the fused order, with `reranked: false` and a warning.
 * Exported for the conversation host's retrieval, which searches the index directly.
 */
export async function rerankHits(
  env: Env,
  teamId: string,
  reranker: CollectionReranker,
  query: string,
  hits: readonly SearchHit[],
  topK: number,
): Promise<RerankOutcome> {
  // Never fewer candidates than hits asked for: a topK above `candidates` re-ranks topK hits.
  const candidates = hits.slice(0, Math.max(reranker.candidates, topK));
  try {
    const documents = candidates.map((hit) => (hit.context ? `${hit.context}\n\n${hit.text}` : hit.text));
    const order = await rerankTexts(env, teamId, reranker, query, documents, topK);
    const reranked = order.slice(0, topK).flatMap(({ index, score }, position) => {
      const hit = candidates[index];
      return hit ? [{ ...hit, rerank: { rank: position + 1, score } }] : [];
    });
    return { hits: reranked, reranked: true };
  } catch (error) {
    return { hits: hits.slice(0, topK), reranked: false, warning: rerankWarning(reranker, error) };
  }
}

/** What the search response says about a failed re-rank: the plugin's own (redacted, registry guard) message. */
function rerankWarning(reranker: CollectionReranker, error: unknown): string {
  const known = error instanceof RerankerError || error instanceof RerankerUnavailable;
  const detail = known ? error.message : error instanceof DOMException ? error.name : 'unexpected failure';
  return `Re-ranking with ${reranker.pluginId} failed (${detail}); hits are in the fused order.`;
}

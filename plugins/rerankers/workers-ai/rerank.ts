import type { RerankContext, RerankedDocument, RerankRequest } from '../../sdk/index.ts';
import { RerankerError } from '../../sdk/index.ts';
import { workersAiError } from './errors.ts';

/**
 * bge-reranker-base reads 512 tokens of query and passage together (huggingface.co/BAAI/bge-reranker-base); at
 * ≈ 4 characters a token, a passage is cut to what is left after the query, so a long chunk is scored on its start
 * rather than refused. At least 256 characters of passage are always kept.
 */
const CHARS_PER_TOKEN = 4;
const MIN_PASSAGE_CHARS = 256;

export function passageBudget(maxInputTokens: number, query: string): number {
  return Math.max(MIN_PASSAGE_CHARS, maxInputTokens * CHARS_PER_TOKEN - query.length);
}

/**
 * `env.AI.run(model, { query, contexts: [{ text }], top_k })` → `{ response: [{ id, score }] }` (workers-types'
 * Ai_Cf_Baai_Bge_Reranker_Base_Input / _Output; `id` is the context's index).
 */
export async function rerankWithWorkersAi(
  ctx: RerankContext<Record<string, never>>,
  request: RerankRequest,
  maxInputTokens: number,
): Promise<RerankedDocument[]> {
  const binding = ctx.binding;
  if (!binding) {
    throw new RerankerError(
      'The Workers AI re-ranker needs the AI binding: add [ai] with binding = "AI" to wrangler.toml and deploy again. ' +
        'Workers AI has no local simulator, so local development uses the offline re-ranker.',
    );
  }
  if (request.documents.length === 0) return [];
  ctx.signal.throwIfAborted();
  const budget = passageBudget(maxInputTokens, request.query);
  const topN = Math.max(1, Math.min(request.topN, request.documents.length));
  let output: unknown;
  try {
    output = await binding.run(request.model, {
      query: request.query,
      contexts: request.documents.map((text) => ({ text: text.slice(0, budget) })),
      top_k: topN,
    });
  } catch (error) {
    throw workersAiError(error, ctx.clock.now());
  }
  ctx.signal.throwIfAborted();
  const ranked = rankedOf(output, request.documents.length);
  if (!ranked) throw new RerankerError(`Workers AI returned no ranking for ${request.model}`, true);
  return ranked.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, topN);
}

/** `response: [{ id, score }]` with each id a distinct index of the request's contexts, or undefined. */
function rankedOf(output: unknown, count: number): RerankedDocument[] | undefined {
  if (typeof output !== 'object' || output === null) return undefined;
  const { response } = output as { response?: unknown };
  if (!Array.isArray(response)) return undefined;
  const seen = new Set<number>();
  const ranked: RerankedDocument[] = [];
  for (const item of response) {
    const { id, score } = (item ?? {}) as { id?: unknown; score?: unknown };
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= count || seen.has(id)) return undefined;
    if (typeof score !== 'number' || !Number.isFinite(score)) return undefined;
    seen.add(id);
    ranked.push({ index: id, score });
  }
  return ranked;
}

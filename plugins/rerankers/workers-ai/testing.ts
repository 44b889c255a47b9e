/**
 * A stand-in for Workers AI's `AI` binding, which has no local simulator: it answers bge-reranker-base's documented
 * shapes (`{ query, contexts: [{ text }], top_k }` → `{ response: [{ id, score }] }`, workers-types'
 * Ai_Cf_Baai_Bge_Reranker_Base_Input / _Output) with lexical scores (sdk/testing/relevance.ts), best first, and throws
 * the binding's documented errors (developers.cloudflare.com/workers-ai/platform/errors) for trigger words in the
 * query: `fake-3040` (out of capacity), `fake-3036` (daily allocation used up).
 */
import type { RerankContext, RerankerAiBinding } from '../../sdk/index.ts';
import { fakeClock } from '../../sdk/testing/fakes.ts';
import { fakeRanking } from '../../sdk/testing/relevance.ts';

export interface RerankCall {
  model: string;
  query: string;
  contexts: string[];
  topK?: number;
}

export function fakeRerankerBinding(calls: RerankCall[] = []): RerankerAiBinding & { calls: RerankCall[] } {
  return {
    calls,
    async run(model, inputs) {
      calls.push({
        model,
        query: inputs.query,
        contexts: inputs.contexts.map((c) => c.text),
        ...(inputs.top_k !== undefined && { topK: inputs.top_k }),
      });
      if (model !== '@cf/baai/bge-reranker-base') throw new Error(`5007: No such model ${model} or task`);
      if (inputs.contexts.length === 0) throw new Error('3010: Invalid or incomplete input for the model');
      if (inputs.query.includes('fake-3040')) throw new Error('3040: No more data centers to forward the request to');
      if (inputs.query.includes('fake-3036')) {
        throw new Error('3036: You have used up your daily free allocation of 10,000 neurons.');
      }
      const ranked = fakeRanking(
        inputs.query,
        inputs.contexts.map((c) => c.text),
      );
      return {
        response: ranked.slice(0, inputs.top_k ?? ranked.length).map(({ index, score }) => ({ id: index, score })),
      };
    },
  };
}

export function workersAiRerankContext(
  binding: RerankerAiBinding | undefined,
  signal: AbortSignal = new AbortController().signal,
): RerankContext<Record<string, never>> {
  return {
    settings: {},
    fetch: () => Promise.reject(new Error('the Workers AI re-ranker makes no HTTP requests')),
    clock: fakeClock(),
    signal,
    ...(binding && { binding }),
  };
}

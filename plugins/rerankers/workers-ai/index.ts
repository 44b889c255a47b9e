import { z } from 'zod';
import { definePlugin, RerankerError } from '../../sdk/index.ts';
import { rerankWithWorkersAi } from './rerank.ts';

const MODEL = '@cf/baai/bge-reranker-base';
/** The model's context (huggingface.co/BAAI/bge-reranker-base: max_length 512). */
const MAX_INPUT_TOKENS = 512;

/**
 * Workers AI's `@cf/baai/bge-reranker-base` cross-encoder through the Worker's `AI` binding, which the core hands only
 * to this plugin. No key: the binding is the credential. Deployed only: Workers AI never runs locally.
 */
export const workersAiReranker = definePlugin({
  id: 'workers-ai-reranker',
  kind: 'reranker',
  displayName: 'Workers AI re-ranker',
  description: 'BAAI bge-reranker-base (cross-encoder) on Cloudflare Workers AI through the AI binding; no API key.',
  version: '1.0.0',
  settings: z.object({}),
  secrets: [],
  models: [
    {
      id: MODEL,
      label: 'BAAI bge-reranker-base',
      // No documented per-call cap; the core sends at most 50 candidates.
      maxDocuments: 100,
      maxInputTokens: MAX_INPUT_TOKENS,
    },
  ],
  async rerank(ctx, request) {
    if (request.model !== MODEL) throw new RerankerError(`workers-ai-reranker has no model ${request.model}`);
    return rerankWithWorkersAi(ctx, request, MAX_INPUT_TOKENS);
  },
});

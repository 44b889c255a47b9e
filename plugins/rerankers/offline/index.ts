import { z } from 'zod';
import { definePlugin, RerankerError } from '../../sdk/index.ts';
import { bm25Rank } from './bm25.ts';

const MODEL = 'bm25';
/** What the core sends at most (50 candidates, worker/knowledge/collections/schemas.ts), with room to spare. */
const MAX_DOCUMENTS = 100;
/** Words read per document: the longest chunk a collection allows (8,192 tokens); beyond it the text is cut. */
const MAX_WORDS = 8192;

/**
 * Re-ranks with BM25 over the query's words (./bm25.ts): no model, no key, no network — local development, tests
 * and the demo. Lexical, like the offline embedder; production teams configure a cross-encoder.
 */
export const offlineReranker = definePlugin({
  id: 'offline-reranker',
  kind: 'reranker',
  displayName: 'Offline (BM25)',
  description: 'Deterministic BM25 scoring of the candidates by the query’s words, in the Worker: no key, no network.',
  version: '1.0.0',
  settings: z.object({}),
  secrets: [],
  models: [
    {
      id: MODEL,
      label: 'BM25 over the query’s words',
      maxDocuments: MAX_DOCUMENTS,
      maxInputTokens: MAX_WORDS,
      lexical: true,
    },
  ],
  async rerank(_ctx, request) {
    if (request.model !== MODEL) throw new RerankerError(`offline-reranker has no model ${request.model}`);
    if (request.documents.length === 0) return [];
    return bm25Rank(request.query, request.documents, MAX_WORDS).slice(0, Math.max(1, request.topN));
  },
});

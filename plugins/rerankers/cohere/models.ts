import type { RerankModel } from '../../sdk/index.ts';

/**
 * docs.cohere.com/docs/rerank: 4,096-token context (query + passage; longer passages are cut to `max_tokens_per_doc`),
 * and at most 1,000 documents per request recommended — the core sends at most 50.
 */
export const cohereRerankModels: readonly RerankModel[] = [
  { id: 'rerank-v3.5', label: 'Rerank v3.5 (multilingual)', maxDocuments: 1000, maxInputTokens: 4096 },
  { id: 'rerank-english-v3.0', label: 'Rerank v3.0 (English)', maxDocuments: 1000, maxInputTokens: 4096 },
  { id: 'rerank-multilingual-v3.0', label: 'Rerank v3.0 (multilingual)', maxDocuments: 1000, maxInputTokens: 4096 },
];

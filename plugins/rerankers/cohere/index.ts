import { definePlugin } from '../../sdk/index.ts';
import { cohereRerankModels } from './models.ts';
import { rerankWithCohere } from './rerank.ts';
import { cohereRerankSettings } from './settings.ts';

/** Cohere's Rerank API (v2) with plain fetch: rerank-v3.5 and the v3.0 English and multilingual models. */
export const cohereReranker = definePlugin({
  id: 'cohere-rerank',
  kind: 'reranker',
  displayName: 'Cohere Rerank',
  description: 'Cohere’s hosted re-ranking models (rerank-v3.5, multilingual) through the v2 Rerank API.',
  version: '1.0.0',
  settings: cohereRerankSettings,
  secrets: ['apiKey'],
  models: cohereRerankModels,
  rerank: rerankWithCohere,
});

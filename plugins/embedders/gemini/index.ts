import { definePlugin } from '../../sdk/index.ts';
import { embedWithGemini } from './embed.ts';
import { geminiEmbeddingModels } from './models.ts';
import { geminiEmbedderSettings } from './settings.ts';

/** Gemini's embedding model through @google/genai, with retrieval task types for documents and queries. */
export const geminiEmbedder = definePlugin({
  id: 'gemini-embeddings',
  kind: 'embedder',
  displayName: 'Gemini embeddings',
  description: 'gemini-embedding-001 through the Gemini API, embedding documents and questions by task type.',
  version: '1.0.0',
  settings: geminiEmbedderSettings,
  secrets: ['apiKey'],
  models: geminiEmbeddingModels,
  embed: embedWithGemini,
});

import { definePlugin } from '../../sdk/index.ts';
import { embedWithOpenAI } from './embed.ts';
import { openaiEmbeddingModels } from './models.ts';
import { openaiEmbedderSettings } from './settings.ts';

/** OpenAI's embeddings API through the official SDK; also any OpenAI-compatible server (Workers AI's included). */
export const openaiEmbedder = definePlugin({
  id: 'openai-embeddings',
  kind: 'embedder',
  displayName: 'OpenAI embeddings',
  description: 'text-embedding-3 models through the OpenAI API, or any OpenAI-compatible embeddings endpoint.',
  version: '1.0.0',
  settings: openaiEmbedderSettings,
  secrets: ['apiKey'],
  models: openaiEmbeddingModels,
  embed: embedWithOpenAI,
});

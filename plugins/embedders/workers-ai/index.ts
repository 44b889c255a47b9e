import { z } from 'zod';
import { definePlugin } from '../../sdk/index.ts';
import { embedWithWorkersAi } from './embed.ts';

/**
 * Workers AI's `@cf/baai/bge-m3` through the Worker's `AI` binding, which the core hands only to this plugin. No key:
 * the binding is the credential. Deployed only: Workers AI never runs locally (miniflare names its `ai` option
 * "DO-NOT-USE-this-resource-will-never-have-a-local-simulator").
 */
export const workersAiEmbedder = definePlugin({
  id: 'workers-ai',
  kind: 'embedder',
  displayName: 'Workers AI embeddings',
  description: 'bge-m3 (multilingual, 1,024 dimensions) on Cloudflare Workers AI through the AI binding; no API key.',
  version: '1.0.0',
  settings: z.object({}),
  secrets: [],
  models: [
    {
      id: '@cf/baai/bge-m3',
      label: 'BAAI bge-m3 (multilingual, 1,024)',
      dimensions: 1024,
      // developers.cloudflare.com/workers-ai/models/bge-m3: at most 100 texts per call, 8,192 tokens per text.
      maxBatch: 100,
      maxInputTokens: 8192,
    },
  ],
  embed: embedWithWorkersAi,
});

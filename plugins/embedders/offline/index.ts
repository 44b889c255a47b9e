import { z } from 'zod';
import { definePlugin } from '../../sdk/index.ts';
import { hashEmbed } from './hashing.ts';

/** bge-m3's dimensions, so a collection can move to Workers AI's `@cf/baai/bge-m3` with the same vector index. */
const DIMENSIONS = 1024;

/**
 * Embeds with no model, no key and no network (./hashing.ts): local development, tests and the demo. Lexical, so the
 * dashboard labels its collections as keyword-like; production teams configure a semantic embedder.
 */
export const offlineEmbedder = definePlugin({
  id: 'offline-embedder',
  kind: 'embedder',
  displayName: 'Offline (hashing)',
  description: 'Deterministic feature-hashing vectors computed in the Worker: no API key, no network, lexical only.',
  version: '1.0.0',
  settings: z.object({}),
  secrets: [],
  models: [
    {
      id: 'hash-1024',
      label: 'Feature hashing, 1024 dimensions',
      dimensions: DIMENSIONS,
      // No provider limit; 100 matches bge-m3's so batching behaves the same as deployed.
      maxBatch: 100,
      maxInputTokens: 8192,
      lexical: true,
    },
  ],
  async embed(_ctx, request) {
    return { vectors: request.inputs.map((text) => hashEmbed(text, DIMENSIONS)) };
  },
});

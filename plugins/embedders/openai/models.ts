import type { EmbeddingModel } from '../../sdk/index.ts';

/**
 * OpenAI's embedding models (platform.openai.com/docs/guides/embeddings). A `@<n>` suffix is the same model asked for
 * `dimensions: n`, which the text-embedding-3 models support ("shortening embeddings"): Vectorize indexes hold at most
 * 1,536 dimensions (developers.cloudflare.com/vectorize/platform/limits), so text-embedding-3-large's native 3,072
 * only fit a local store. A collection keeps its model id for life, so each size is a model of its own.
 *
 * maxBatch: the API takes 2,048 inputs per request but at most 300,000 tokens in all; 36 inputs of the 8,191-token
 * maximum stay under that (36 × 8,191 = 294,876), so no batch the core makes can be refused for its size.
 */
const OPENAI_MAX_BATCH = 36;
const OPENAI_MAX_INPUT_TOKENS = 8191;

const openai = (id: string, label: string, dimensions: number): EmbeddingModel => ({
  id,
  label,
  dimensions,
  maxBatch: OPENAI_MAX_BATCH,
  maxInputTokens: OPENAI_MAX_INPUT_TOKENS,
});

export const openaiEmbeddingModels: readonly EmbeddingModel[] = [
  openai('text-embedding-3-small', 'text-embedding-3-small (1,536)', 1536),
  openai('text-embedding-3-small@1024', 'text-embedding-3-small, shortened to 1,024', 1024),
  openai('text-embedding-3-large@1536', 'text-embedding-3-large, shortened to 1,536 (fits Vectorize)', 1536),
  openai('text-embedding-3-large@1024', 'text-embedding-3-large, shortened to 1,024', 1024),
  openai('text-embedding-3-large', 'text-embedding-3-large (3,072: local store only, over Vectorize’s 1,536)', 3072),
  {
    // Workers AI's OpenAI-compatible endpoint (developers.cloudflare.com/workers-ai/configuration/open-ai-compatibility)
    // serves bge-m3 under its catalog name: 1,024 dimensions, 100 texts per call, 8,192 tokens per text.
    id: '@cf/baai/bge-m3',
    label: 'bge-m3 through Workers AI’s OpenAI-compatible URL (1,024)',
    dimensions: 1024,
    maxBatch: 100,
    maxInputTokens: 8192,
  },
];

/** The API's model name and the `dimensions` to ask for: `text-embedding-3-large@1024` → the large model at 1,024. */
export function wireModel(id: string): { model: string; dimensions?: number } {
  const match = /^(.+)@(\d+)$/.exec(id);
  if (!match?.[1] || !match[2]) return { model: id };
  return { model: match[1], dimensions: Number(match[2]) };
}

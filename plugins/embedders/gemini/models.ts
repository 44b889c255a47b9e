import type { EmbeddingModel } from '../../sdk/index.ts';

/**
 * gemini-embedding-001 (ai.google.dev/gemini-api/docs/embeddings): 3,072 dimensions, with 768 and 1,536 the
 * recommended reduced sizes (`outputDimensionality`); 2,048 input tokens. A `@<n>` suffix is that size: Vectorize
 * holds at most 1,536 dimensions (developers.cloudflare.com/vectorize/platform/limits), so 3,072 fits only a local
 * store. batchEmbedContents takes at most 100 requests per call.
 */
const GEMINI_MAX_BATCH = 100;
const GEMINI_MAX_INPUT_TOKENS = 2048;

const gemini = (id: string, label: string, dimensions: number): EmbeddingModel => ({
  id,
  label,
  dimensions,
  maxBatch: GEMINI_MAX_BATCH,
  maxInputTokens: GEMINI_MAX_INPUT_TOKENS,
});

export const geminiEmbeddingModels: readonly EmbeddingModel[] = [
  gemini('gemini-embedding-001@768', 'gemini-embedding-001, 768 dimensions', 768),
  gemini('gemini-embedding-001@1536', 'gemini-embedding-001, 1,536 dimensions (fits Vectorize)', 1536),
  gemini('gemini-embedding-001', 'gemini-embedding-001, 3,072 (local store only, over Vectorize’s 1,536)', 3072),
];

/** The API's model name and the output size to ask for. */
export function wireModel(id: string): { model: string; dimensions?: number } {
  const match = /^(.+)@(\d+)$/.exec(id);
  if (!match?.[1] || !match[2]) return { model: id };
  return { model: match[1], dimensions: Number(match[2]) };
}

import { z } from '@hono/zod-openapi';
import { humanText } from '../../http/text.ts';

/** Bounds of a collection's settings, and why. */
export const CHUNKING_BOUNDS = {
  /** Below ~50 tokens a chunk is a phrase, not a passage; 8,192 is the longest input of the embedders we ship. */
  chunkTokens: { min: 50, max: 8192 },
} as const;
/** Vectorize returns at most 50 matches with metadata (developers.cloudflare.com/vectorize/platform/limits). */
export const MAX_FETCH_K = 50;

export const ChunkingSchema = z
  .object({
    chunkTokens: z
      .number()
      .int()
      .min(CHUNKING_BOUNDS.chunkTokens.min)
      .max(CHUNKING_BOUNDS.chunkTokens.max)
      .openapi({ example: 800, description: 'Most tokens per chunk (≈ 4 characters each); OCS default 800' }),
    chunkOverlap: z
      .number()
      .int()
      .min(0)
      .max(CHUNKING_BOUNDS.chunkTokens.max / 2)
      .openapi({ example: 400, description: 'Tokens each chunk repeats from the previous one; at most half a chunk' }),
  })
  .openapi('KnowledgeChunking');

export const SearchSettingsSchema = z
  .object({
    denseWeight: z
      .number()
      .min(0)
      .max(1)
      .openapi({ example: 0.7, description: 'Weight of vector search in the fusion; keyword search gets the rest' }),
    fetchK: z.number().int().min(1).max(MAX_FETCH_K).openapi({ example: 40, description: 'Candidates per ranking' }),
    rrfK: z.number().int().min(1).max(1000).openapi({ example: 60, description: 'Reciprocal Rank Fusion k' }),
  })
  .openapi('KnowledgeSearchSettings');

/** Fused hits a re-ranker re-orders by default, and at most: one call per search, so its latency is the cost. */
export const RERANK_CANDIDATES = { default: 20, max: MAX_FETCH_K } as const;

export const RerankerSettingSchema = z
  .object({
    pluginId: z.string().min(1).max(100).openapi({ example: 'offline-reranker' }),
    model: z.string().min(1).max(200).openapi({ example: 'bm25' }),
    candidates: z
      .number()
      .int()
      .min(1)
      .max(RERANK_CANDIDATES.max)
      .default(RERANK_CANDIDATES.default)
      .openapi({ example: 20, description: 'How many fused hits the re-ranker re-orders (default 20, at most 50)' }),
  })
  .openapi('KnowledgeReranker', {
    description: 'An installed re-ranker plugin and one of its models; null: search returns the fused order',
  });

const statusCounts = z.object({
  queued: z.number().int(),
  parsing: z.number().int(),
  embedding: z.number().int(),
  ready: z.number().int(),
  failed: z.number().int(),
});

export const CollectionSchema = z
  .object({
    id: z.string().openapi({ example: 'kcol_01hzx3k9q0abcdefghjkmnpqrs' }),
    name: z.string(),
    description: z.string(),
    embedder: z.object({
      pluginId: z.string().openapi({ example: 'offline-embedder' }),
      model: z.string().openapi({ example: 'hash-1024' }),
      dimensions: z.number().int(),
    }),
    chunking: ChunkingSchema,
    search: SearchSettingsSchema,
    reranker: RerankerSettingSchema.nullable(),
    revision: z.number().int().openapi({
      description: 'Grows each time the content changes; what "latest" searches see (docs/knowledge.md)',
    }),
    documentCount: z.number().int(),
    chunkCount: z.number().int().openapi({ description: 'Chunks of the ready documents' }),
    documents: statusCounts.optional().openapi({ description: 'Documents by status (single-collection reads)' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('KnowledgeCollection');

export type Collection = z.infer<typeof CollectionSchema>;

const name = humanText().trim().min(1).max(100).openapi({ example: 'Product handbook' });
const description = humanText({ multiline: true })
  .trim()
  .max(2000)
  .openapi({ example: 'Installation, configuration and troubleshooting of our product' });

const chunkingRefined = <T extends z.ZodType<{ chunkTokens: number; chunkOverlap: number } | undefined>>(schema: T) =>
  schema.refine((c) => c === undefined || c.chunkOverlap * 2 <= c.chunkTokens, {
    message: 'chunkOverlap may be at most half of chunkTokens',
    path: ['chunkOverlap'],
  });

export const CreateCollectionBody = z.object({
  name,
  description: description.optional(),
  embedder: z
    .object({ pluginId: z.string().min(1).max(100), model: z.string().min(1).max(200) })
    .optional()
    .openapi({ description: 'An installed embedder plugin and one of its models (default: the offline one)' }),
  chunking: chunkingRefined(ChunkingSchema.optional()),
  search: SearchSettingsSchema.optional(),
  reranker: RerankerSettingSchema.nullable().optional(),
});

export const PatchCollectionBody = z.object({
  name: name.optional(),
  description: description.optional(),
  chunking: chunkingRefined(ChunkingSchema.optional()).openapi({
    description: 'Applies to documents ingested from now on; re-index the others to re-chunk them',
  }),
  search: SearchSettingsSchema.partial().optional(),
  reranker: RerankerSettingSchema.nullable()
    .optional()
    .openapi({ description: 'Replaces the re-ranker (candidates default to 20); null removes it' }),
});

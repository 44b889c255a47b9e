import { z } from 'zod';

/**
 * Which knowledge a node searches and how: the retrieval node's settings and the LLM node's `knowledge` setting use
 * this shape. Collection ids are references (`NodeReference` type `collection`) the editor validates against the team.
 */
export const knowledgeSources = z.strictObject({
  // Eight collections is more than any assistant needs; each costs one search per query.
  collectionIds: z.array(z.string().min(1).max(64)).min(1).max(8),
  /**
   * `pinned` (default): each collection as it was when the chatbot version was published, so a published bot keeps
   * answering from the documents it was published with; `latest`: the collection's current published revision.
   * Drafts and the test chat always search the latest.
   */
  revision: z.enum(['pinned', 'latest']).default('pinned'),
  // 50 is Vectorize's topK limit when values or metadata are returned (../shared/platform-notes.md).
  topK: z.number().int().min(1).max(50).default(5),
  mode: z.enum(['hybrid', 'dense', 'keyword']).default('hybrid'),
});

export type KnowledgeSources = z.infer<typeof knowledgeSources>;

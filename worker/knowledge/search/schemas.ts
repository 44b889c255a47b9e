import { z } from '@hono/zod-openapi';
import { idParam } from '../../http/schemas.ts';

export const collectionParams = z.object({ id: idParam('id', 'kcol_01jd9x0000000000000000000') });

export const SearchBody = z
  .object({
    query: z.string().trim().min(1).max(2000).describe('The question or words to search for'),
    topK: z.number().int().min(1).max(50).optional().describe('Hits to return (default 10; at most 50)'),
    mode: z
      .enum(['hybrid', 'dense', 'keyword'])
      .optional()
      .describe('hybrid (default): dense and keyword fused by Reciprocal Rank Fusion; or one of them alone'),
    revision: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe(
        "Search the collection as it was at this revision (a pinned chatbot version's); default: its current revision",
      ),
    documentIds: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(100)
      .optional()
      .describe("Only these documents of the collection (ids of other collections' documents match nothing)"),
    rerank: z
      .boolean()
      .optional()
      .describe(
        "Re-order the best fused hits with the collection's re-ranker (default: true when the collection has one)",
      ),
  })
  .openapi('KnowledgeSearchBody', { example: { query: 'How do I reset the router?', topK: 5 } });

const Ranked = z.object({
  rank: z.number().int().describe('1-based rank on this side'),
  score: z.number().describe('Cosine similarity (dense) or −bm25 (keyword): higher is better'),
});

export const SearchHitSchema = z
  .object({
    documentId: z.string(),
    documentTitle: z.string().nullable(),
    sourceUrl: z.string().optional().describe('Where a document added by URL came from'),
    public: z.boolean().optional().describe('The admin marked the document public (citations may link to it)'),
    chunkKey: z.string(),
    ordinal: z.number().int(),
    text: z.string(),
    context: z.string().describe('The heading path the chunk sits under'),
    page: z.number().int().optional(),
    score: z.number().describe('The fused RRF score (or the single ranking’s score in dense / keyword mode)'),
    dense: Ranked.optional(),
    keyword: Ranked.optional(),
    rerank: z
      .object({
        rank: z.number().int().describe('1-based rank in the re-ranker’s order (the order of `hits`)'),
        score: z.number().describe('The re-ranker’s relevance score: comparable within this search only'),
      })
      .optional()
      .describe('Present when the hits were re-ranked'),
  })
  .openapi('KnowledgeSearchHit');

export const SearchResult = z
  .object({
    collectionId: z.string(),
    mode: z.enum(['hybrid', 'dense', 'keyword']),
    revision: z.number().int().describe('The revision searched'),
    reranked: z.boolean().describe("True when `hits` are in the re-ranker's order"),
    warning: z
      .string()
      .optional()
      .describe('Why re-ranking was skipped (re-ranker unavailable or failing); the hits are then in the fused order'),
    hits: z.array(SearchHitSchema),
  })
  .openapi('KnowledgeSearchResult');

export type SearchResult = z.infer<typeof SearchResult>;

export const SEARCH_DOCS = `Ranked chunks of one knowledge collection, as retrieval sees them: dense (the query embedded with
the collection's embedder), keyword (SQLite FTS5 over the chunks, every word required, bm25 ranking) and, in hybrid
mode, both fused by Reciprocal Rank Fusion with the collection's dense weight, fetch size and k. Every hit shows its
rank and score on each side (the dashboard's query preview). A collection with a re-ranker re-orders its best fused
hits with it (\`rerank: false\` to skip); a failing re-ranker leaves the fused order and a \`warning\`. See
docs/knowledge.md#search and #re-ranking.`;

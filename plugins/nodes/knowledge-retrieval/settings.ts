import { z } from 'zod';
import { knowledgeSources, llmCallFields, llmCallTitles, parseTemplate, stateKey } from '../../sdk/index.ts';
import { titled } from '../../sdk/titles.ts';

/** Where the search query comes from. */
export const querySource = z.discriminatedUnion('type', [
  /** The node's input as it is (the user's message when the node follows start). */
  z.strictObject({ type: z.literal('input') }).meta({ title: 'The node input' }),
  /** A Jinja template over input and state, as the template node renders it. */
  z
    .strictObject({
      type: z.literal('template'),
      template: z
        .string()
        .min(1)
        .max(8_000)
        .superRefine((source, ctx) => {
          try {
            parseTemplate(source);
          } catch (error) {
            ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'invalid template' });
          }
        })
        .meta({ title: 'Query template' }),
    })
    .meta({ title: 'A template' }),
  /** A model rewrites the conversation's last question into a standalone search query. */
  z
    .strictObject({
      type: z.literal('rewrite'),
      ...titled(z.strictObject(llmCallFields), llmCallTitles).shape,
      instructions: z
        .string()
        .max(4_000)
        .optional()
        .describe('Added to the rewrite prompt, e.g. the product names to spell out.')
        .meta({ title: 'Rewrite instructions' }),
    })
    .meta({ title: 'Rewritten by a model' }),
]);

export type QuerySource = z.infer<typeof querySource>;

export const knowledgeRetrievalSettings = titled(
  z.strictObject({
    ...knowledgeSources.shape,
    query: querySource.default({ type: 'input' }),
    outputKey: stateKey
      .default('knowledge')
      .describe('The run key the retrieved chunks (a JSON list) are stored under, for later nodes (`temp_state`).'),
    // A search filter lists at most 100 documents: it is one bound parameter each in the KnowledgeDO's query.
    documentIds: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(100)
      .optional()
      .describe('Only these documents of the collections.'),
  }),
  {
    collectionIds: 'Collections',
    revision: 'Revision',
    topK: 'Chunks to retrieve',
    mode: 'Search mode',
    query: 'Query',
    outputKey: 'Run key',
    documentIds: 'Only these documents',
  },
);

export type KnowledgeRetrievalSettings = z.infer<typeof knowledgeRetrievalSettings>;

import { z } from 'zod';
import { knowledgeSources, toolApproval } from '../../sdk/index.ts';

/**
 * The LLM node's settings: every field of the version 1 `llm` node (worker/chatbots/definition.ts, minus `id` and
 * `type`), so a definition converted with `fromV1` validates unchanged, plus the input and history options.
 */

/** How much of a history the model sees. */
export const historyBound = z.discriminatedUnion('type', [
  /** Newest messages first until the estimated tokens are spent (the v1 behaviour). */
  z.strictObject({ type: z.literal('tokens'), budget: z.number().int().min(100).max(1_000_000) }),
  /** The newest `last` messages. */
  z.strictObject({ type: z.literal('messages'), last: z.number().int().min(1).max(500) }),
  /**
   * The token window, with what falls out of it summarised by a second model call (`summaryModel`, else the node's
   * model) and kept as the history's summary.
   */
  z.strictObject({
    type: z.literal('summary'),
    budget: z.number().int().min(100).max(1_000_000),
    summaryModel: z.string().min(1).max(200).optional(),
  }),
]);

export const historyModes = ['none', 'node', 'named', 'conversation'] as const;

export const historySettings = z
  .strictObject({
    /** `none`: only the input; `node`: this node's own; `named`: one shared by name; `conversation`: every message. */
    mode: z.enum(historyModes).default('conversation'),
    name: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/)
      .optional(),
    bound: historyBound.optional(),
  })
  .refine((history) => history.mode !== 'named' || history.name !== undefined, {
    message: 'a named history needs a name',
    path: ['name'],
  });

/** Knowledge the model answers from (docs/knowledge.md, "Retrieval in pipelines"). */
export const llmKnowledge = z.strictObject({
  ...knowledgeSources.shape,
  citations: z
    .boolean()
    .default(true)
    .describe('Ask the model to cite the sources as [n]; the reply carries them as citations.'),
  choose: z
    .enum(['all', 'model'])
    .default('all')
    .describe(
      'all: search every collection with the input and put the chunks in the prompt; model: let the model search the collection it chooses by its summary (a tool).',
    ),
});

export const llmSettings = z.strictObject({
  providerId: z.string().min(1),
  credentialId: z.string().nullable(),
  model: z.string().min(1).max(200),
  // Prompts are part of every request; 32k characters is well inside every provider's context window.
  systemPrompt: z.string().max(32_000),
  parameters: z.record(z.string(), z.unknown()),
  tools: z.array(z.string()).max(32),
  maxToolSteps: z.number().int().min(1).max(10),
  /** Tool calls that need a person's approval, and the rule where nobody can be asked (docs/tools.md#approval). */
  approval: toolApproval
    .describe(
      'Tool calls that wait for the user to Approve / Deny in the widget and the test chat; channels and the API follow the rule.',
    )
    .optional(),
  firstTokenTimeoutMs: z.number().int().min(1_000).max(300_000).optional(),
  /** The v1 token budget; `history.bound` takes precedence when set. */
  historyTokenBudget: z.number().int().min(500).max(1_000_000).optional(),
  /**
   * The user content sent to the model. Omitted: the node's input (the run's input when it follows start). `{{input}}`
   * in it stands for the node's input.
   */
  prompt: z.string().max(32_000).optional(),
  history: historySettings.optional(),
  knowledge: llmKnowledge.optional(),
});

export type LlmSettings = z.infer<typeof llmSettings>;
export type HistoryBound = z.infer<typeof historyBound>;
export type LlmKnowledge = z.infer<typeof llmKnowledge>;

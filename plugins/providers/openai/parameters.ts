import { z } from 'zod';
import { baseModelId, modelFacts } from './catalog.ts';

/**
 * Model parameters, in Parley's names, with the ranges of the Chat Completions reference
 * (platform.openai.com/docs/api-reference/chat/create): temperature 0–2, top_p 0–1, penalties −2–2, up to 4
 * stop sequences. Reasoning models (o-series, gpt-5) answer 400 `unsupported_parameter` to sampling parameters and stop
 * sequences, so their schema leaves them out and offers reasoning effort instead.
 */
const maxTokens = (limit: number | undefined) => {
  const base = z.number().int().min(1);
  return (limit === undefined ? base : base.max(limit))
    .optional()
    .describe(limit === undefined ? 'Most tokens the reply may use.' : `Most tokens the reply may use (≤ ${limit}).`);
};

const sampling = {
  temperature: z.number().min(0).max(2).optional().describe('Randomness: 0 is focused, 2 is very random.'),
  topP: z.number().min(0).max(1).optional().describe('Nucleus sampling: only the top P probability mass is kept.'),
  frequencyPenalty: z.number().min(-2).max(2).optional().describe('Positive values discourage repeating tokens.'),
  presencePenalty: z.number().min(-2).max(2).optional().describe('Positive values encourage new topics.'),
  stop: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1).max(4)])
    .optional()
    .describe('Up to 4 sequences where the reply stops.'),
};

const seed = z.number().int().optional().describe('Best-effort deterministic sampling for the same seed.');

/** Reasoning effort levels per family: gpt-5 added `minimal` (platform.openai.com/docs/guides/reasoning). */
function effortLevels(model: string): [string, ...string[]] {
  return baseModelId(model).startsWith('gpt-5') ? ['minimal', 'low', 'medium', 'high'] : ['low', 'medium', 'high'];
}

export function openaiParameters(model: string): z.ZodObject {
  const facts = modelFacts(model);
  if (facts?.reasoning) {
    return z.strictObject({
      maxTokens: maxTokens(facts.maxOutputTokens),
      reasoningEffort: z.enum(effortLevels(model)).optional().describe('How long the model thinks before answering.'),
      seed,
    });
  }
  // Unknown models (OpenAI-compatible servers) get the common Chat Completions parameters without an output cap.
  return z.strictObject({ ...sampling, maxTokens: maxTokens(facts?.maxOutputTokens), seed });
}

// Every parameter any model accepts, loosely: the request's parameters were validated by the strict per-model schema
// already, and this only gives them types for mapping onto the wire.
const anyParameters = z.object({
  ...sampling,
  maxTokens: maxTokens(undefined),
  reasoningEffort: z.enum(['minimal', 'low', 'medium', 'high']).optional(),
  seed,
});

export type OpenAIParameters = z.infer<typeof anyParameters>;

/** Typed view of parameters already validated by `openaiParameters(model)`. */
export function readParameters(values: Record<string, unknown>): OpenAIParameters {
  return anyParameters.parse(values);
}

import { z } from 'zod';

/** `max_tokens` is required by the Messages API; this is what a chatbot gets when it sets none. */
export const DEFAULT_MAX_TOKENS = 4096;

export type Effort = 'low' | 'medium' | 'high' | 'xhigh' | 'max';

interface ModelLimits {
  /** Largest `max_tokens` the model accepts (models overview, "Max output"). */
  maxOutputTokens: number;
  /** `output_config.effort` levels the model accepts; empty when it rejects the parameter. */
  effort: readonly Effort[];
}

// Effort support per platform.claude.com/docs/en/build-with-claude/effort: low/medium/high on every supported model,
// `max` and `xhigh` only on the models that page names. Models newer than that page get the three common levels.
const BASIC: readonly Effort[] = ['low', 'medium', 'high'];
const WITH_MAX: readonly Effort[] = ['low', 'medium', 'high', 'max'];
const ALL: readonly Effort[] = ['low', 'medium', 'high', 'xhigh', 'max'];

// Output limits from each model's overview page (64K for the 4.5 family, 128K for 4.6 and later).
const LIMITS: Readonly<Record<string, ModelLimits>> = {
  'claude-haiku-4-5': { maxOutputTokens: 64_000, effort: [] },
  'claude-sonnet-4-5': { maxOutputTokens: 64_000, effort: [] },
  'claude-opus-4-5': { maxOutputTokens: 64_000, effort: BASIC },
  'claude-opus-4-6': { maxOutputTokens: 128_000, effort: WITH_MAX },
  'claude-sonnet-4-6': { maxOutputTokens: 128_000, effort: WITH_MAX },
  'claude-opus-4-7': { maxOutputTokens: 128_000, effort: ALL },
  'claude-opus-4-8': { maxOutputTokens: 128_000, effort: ALL },
  'claude-sonnet-5': { maxOutputTokens: 128_000, effort: ALL },
  'claude-opus-5': { maxOutputTokens: 128_000, effort: ALL },
  'claude-fable-5': { maxOutputTokens: 128_000, effort: ALL },
  'claude-mythos-5': { maxOutputTokens: 128_000, effort: ALL },
  'claude-fable-5-1': { maxOutputTokens: 128_000, effort: BASIC },
  'claude-mythos-5-1': { maxOutputTokens: 128_000, effort: BASIC },
  'claude-opus-5-5': { maxOutputTokens: 128_000, effort: BASIC },
  'claude-sonnet-5-5': { maxOutputTokens: 128_000, effort: BASIC },
  'claude-haiku-5-5': { maxOutputTokens: 128_000, effort: BASIC },
};

// A model this table does not know (a gateway's own id, a model newer than this plugin): the largest documented
// output limit and no effort, so the form offers nothing the API might reject.
const UNKNOWN: ModelLimits = { maxOutputTokens: 128_000, effort: [] };

/** Limits for `model`, whether given as an alias (`claude-haiku-4-5`) or a dated snapshot (`…-20251001`). */
export function modelLimits(model: string): ModelLimits {
  return LIMITS[model.replace(/-\d{8}$/, '')] ?? UNKNOWN;
}

/**
 * Model parameters for `model`. API version 2026-10-21, which SDK 1.x always sends, removed `temperature`, `top_p`
 * and `top_k` (any value is a 400), so no model offers them; the strict object rejects them like any unknown key.
 */
export function anthropicParameters(model: string) {
  const limits = modelLimits(model);
  const shape = {
    maxTokens: z
      .number()
      .int()
      .min(1)
      .max(limits.maxOutputTokens)
      .optional()
      .describe(`Longest reply in tokens, thinking included (default ${DEFAULT_MAX_TOKENS}).`),
    stopSequences: z
      // The API rejects a stop sequence that is only whitespace.
      .array(z.string().regex(/\S/, 'A stop sequence needs a non-whitespace character'))
      .optional()
      .describe('Text that ends the reply as soon as the model writes it.'),
  };
  const [first, ...rest] = limits.effort;
  if (first === undefined) return z.strictObject(shape);
  return z.strictObject({
    ...shape,
    effort: z
      .enum([first, ...rest])
      .optional()
      .describe('How many tokens the model may spend thinking and answering; high is the usual default.'),
  });
}

export type AnthropicParameters = {
  maxTokens?: number;
  stopSequences?: string[];
  effort?: Effort;
};

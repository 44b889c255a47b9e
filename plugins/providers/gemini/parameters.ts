import type { GenerateContentConfig, ThinkingLevel } from '@google/genai';
import { z } from 'zod';

/**
 * Model parameters per Gemini model, as strict zod objects (unknown keys rejected), and their mapping onto the SDK's
 * `GenerateContentConfig`. Ranges are the API's: GenerationConfig
 * (https://ai.google.dev/api/generate-content#generationconfig), output limits (`outputTokenLimit`,
 * https://ai.google.dev/gemini-api/docs/models) and thinking controls
 * (https://ai.google.dev/gemini-api/docs/thinking). A model only gets the thinking control it accepts.
 */

type Family =
  | 'gemini-3-pro'
  | 'gemini-3-flash'
  | 'gemini-2.5-pro'
  | 'gemini-2.5-flash'
  | 'gemini-2.5-flash-lite'
  | 'other';

export function modelFamily(model: string): Family {
  const id = model.replace(/^models\//, '');
  const major = /^gemini-(\d+)/.exec(id)?.[1];
  if (major !== undefined && Number(major) >= 3) return /-pro\b/.test(id) ? 'gemini-3-pro' : 'gemini-3-flash';
  if (id.startsWith('gemini-2.5-pro')) return 'gemini-2.5-pro';
  if (id.startsWith('gemini-2.5-flash-lite')) return 'gemini-2.5-flash-lite';
  if (id.startsWith('gemini-2.5-flash')) return 'gemini-2.5-flash';
  return 'other';
}

/** 65,536 output tokens for Gemini 2.5, 3 and the `-latest` aliases pointing at them; 8,192 for 2.0 and Gemma 3. */
export function maxOutputTokens(model: string): number {
  const id = model.replace(/^models\//, '');
  return modelFamily(id) !== 'other' || id.endsWith('-latest') ? 65_536 : 8_192;
}

// A budget in tokens, -1 for "dynamic" (the model decides), 0 to switch thinking off where allowed.
const budget = (description: string, ...options: z.ZodType<number>[]) =>
  z
    .union([z.literal(-1), ...options])
    .optional()
    .describe(`Thinking budget in tokens: ${description}.`);

function thinkingControl(family: Family) {
  switch (family) {
    case 'gemini-2.5-pro':
      return {
        thinkingBudget: budget('-1 (dynamic) or 128 to 32768; cannot be off', z.number().int().min(128).max(32_768)),
      };
    case 'gemini-2.5-flash':
      return { thinkingBudget: budget('-1 (dynamic), 0 (off) or up to 24576', z.number().int().min(0).max(24_576)) };
    case 'gemini-2.5-flash-lite':
      return {
        thinkingBudget: budget(
          '-1 (dynamic), 0 (off) or 512 to 24576',
          z.literal(0),
          z.number().int().min(512).max(24_576),
        ),
      };
    // Gemini 3 sets a level instead of a budget, and refuses both at once.
    case 'gemini-3-pro':
      return {
        thinkingLevel: z.enum(['low', 'high']).optional().describe('How much the model thinks before answering.'),
      };
    case 'gemini-3-flash':
      return {
        thinkingLevel: z
          .enum(['minimal', 'low', 'medium', 'high'])
          .optional()
          .describe('How much the model thinks before answering.'),
      };
    case 'other':
      return {};
  }
}

export function geminiParameters(model: string): z.ZodObject {
  const family = modelFamily(model);
  const temperature = family.startsWith('gemini-3')
    ? 'Randomness, 0 to 2. Google advises keeping Gemini 3 at its default 1.0: lower values can cause looping.'
    : 'Randomness, 0 to 2 (default 1.0).';
  return z.strictObject({
    temperature: z.number().min(0).max(2).optional().describe(temperature),
    topP: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('Nucleus sampling: the probability mass to sample from, 0 to 1.'),
    maxTokens: z
      .number()
      .int()
      .min(1)
      .max(maxOutputTokens(model))
      .optional()
      .describe('Most tokens in the reply (maxOutputTokens); the reply then ends with finish reason length.'),
    stopSequences: z.array(z.string().min(1)).max(5).optional().describe('Up to 5 strings that end the reply.'),
    // int32, as the API's `seed` field is.
    seed: z
      .number()
      .int()
      .min(-2_147_483_648)
      .max(2_147_483_647)
      .optional()
      .describe('Fixed seed for repeatable sampling.'),
    ...thinkingControl(family),
  });
}

// The values the SDK's ThinkingLevel enum holds, spelled out so this module does not load the SDK at startup (sdk.ts).
const LEVELS: Record<string, ThinkingLevel> = {
  minimal: 'MINIMAL' as ThinkingLevel.MINIMAL,
  low: 'LOW' as ThinkingLevel.LOW,
  medium: 'MEDIUM' as ThinkingLevel.MEDIUM,
  high: 'HIGH' as ThinkingLevel.HIGH,
};

const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** Validated parameters → the SDK's generation fields (only those set, so the API applies its own defaults). */
export function toGenerationConfig(parameters: Record<string, unknown>): GenerateContentConfig {
  const config: GenerateContentConfig = {};
  const { temperature, topP, maxTokens, stopSequences, seed, thinkingBudget, thinkingLevel } = parameters;
  if (number(temperature) !== undefined) config.temperature = number(temperature);
  if (number(topP) !== undefined) config.topP = number(topP);
  if (number(maxTokens) !== undefined) config.maxOutputTokens = number(maxTokens);
  if (number(seed) !== undefined) config.seed = number(seed);
  if (Array.isArray(stopSequences)) config.stopSequences = stopSequences.filter((stop) => typeof stop === 'string');
  if (number(thinkingBudget) !== undefined) config.thinkingConfig = { thinkingBudget: number(thinkingBudget) };
  const level = typeof thinkingLevel === 'string' ? LEVELS[thinkingLevel] : undefined;
  if (level !== undefined) config.thinkingConfig = { thinkingLevel: level };
  return config;
}

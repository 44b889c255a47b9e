/**
 * What the models endpoint does not say about OpenAI models: context window, output limit and whether the model
 * reasons (and so rejects sampling parameters). Figures from the model pages at platform.openai.com/docs/models.
 */
export interface ModelFacts {
  /** Unknown for families newer than the table. */
  contextWindow?: number;
  maxOutputTokens: number;
  reasoning: boolean;
}

const KNOWN: Record<string, ModelFacts> = {
  'gpt-3.5-turbo': { contextWindow: 16_385, maxOutputTokens: 4_096, reasoning: false },
  'gpt-4': { contextWindow: 8_192, maxOutputTokens: 8_192, reasoning: false },
  'gpt-4-turbo': { contextWindow: 128_000, maxOutputTokens: 4_096, reasoning: false },
  'gpt-4o': { contextWindow: 128_000, maxOutputTokens: 16_384, reasoning: false },
  'gpt-4o-mini': { contextWindow: 128_000, maxOutputTokens: 16_384, reasoning: false },
  'gpt-4.1': { contextWindow: 1_047_576, maxOutputTokens: 32_768, reasoning: false },
  'gpt-4.1-mini': { contextWindow: 1_047_576, maxOutputTokens: 32_768, reasoning: false },
  'gpt-4.1-nano': { contextWindow: 1_047_576, maxOutputTokens: 32_768, reasoning: false },
  o1: { contextWindow: 200_000, maxOutputTokens: 100_000, reasoning: true },
  'o1-mini': { contextWindow: 128_000, maxOutputTokens: 65_536, reasoning: true },
  o3: { contextWindow: 200_000, maxOutputTokens: 100_000, reasoning: true },
  'o3-mini': { contextWindow: 200_000, maxOutputTokens: 100_000, reasoning: true },
  'o4-mini': { contextWindow: 200_000, maxOutputTokens: 100_000, reasoning: true },
  'gpt-5': { contextWindow: 400_000, maxOutputTokens: 128_000, reasoning: true },
  'gpt-5-mini': { contextWindow: 400_000, maxOutputTokens: 128_000, reasoning: true },
  'gpt-5-nano': { contextWindow: 400_000, maxOutputTokens: 128_000, reasoning: true },
  'gpt-5-chat-latest': { contextWindow: 128_000, maxOutputTokens: 16_384, reasoning: false },
};

// Longest first, so `gpt-4o-mini-2024-07-18` matches `gpt-4o-mini` rather than `gpt-4o` or `gpt-4`.
const PREFIXES = Object.keys(KNOWN).sort((a, b) => b.length - a.length);

/** The model id without a router's vendor prefix (`openai/gpt-4o` on OpenRouter). */
export function baseModelId(model: string): string {
  return model.slice(model.lastIndexOf('/') + 1);
}

/** Facts for a known OpenAI model or one of its dated snapshots; undefined for any other model. */
export function modelFacts(model: string): ModelFacts | undefined {
  const id = baseModelId(model);
  const prefix = PREFIXES.find((known) => id === known || id.startsWith(`${known}-`));
  if (prefix) return KNOWN[prefix];
  // Reasoning families newer than this table still reject sampling parameters; the API docs say so for every
  // o-series and gpt-5 model except the `-chat` variants.
  if (/^(o\d+|gpt-5(\.\d+)?)(-|$)/.test(id) && !id.includes('-chat')) {
    // 100,000 is the smallest output limit of the o-series; the context window is left unknown.
    return { maxOutputTokens: 100_000, reasoning: true };
  }
  return undefined;
}

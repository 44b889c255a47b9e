import { defineOpenAICompatible } from './define.ts';

/** docs.together.ai: OpenAI-compatible at api.together.xyz/v1. */
export const togetherProvider = defineOpenAICompatible({
  id: 'together',
  displayName: 'Together AI',
  description: 'Open models (Llama, Qwen, DeepSeek, …) hosted by Together AI.',
  baseUrl: 'https://api.together.xyz/v1',
  auth: 'bearer',
  keyHelp: 'api.together.ai/settings/api-keys',
  models: ['meta-llama/Llama-3.3-70B-Instruct-Turbo'],
  defaultModel: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
});

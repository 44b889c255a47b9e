import { defineOpenAICompatible } from './define.ts';

/** openrouter.ai/docs: one OpenAI-compatible API for hundreds of models, listed by its `GET /models`. */
export const openrouterProvider = defineOpenAICompatible({
  id: 'openrouter',
  displayName: 'OpenRouter',
  description: 'Models from many vendors (ids like openai/gpt-4o-mini) through OpenRouter’s single API.',
  baseUrl: 'https://openrouter.ai/api/v1',
  auth: 'bearer',
  keyHelp: 'openrouter.ai/keys',
  models: 'listed',
  defaultModel: 'openai/gpt-4o-mini',
  vision: true,
});

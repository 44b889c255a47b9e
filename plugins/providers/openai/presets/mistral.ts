import { defineOpenAICompatible } from './define.ts';

/** docs.mistral.ai/api: Chat Completions at api.mistral.ai/v1; the seed field is `random_seed`. */
export const mistralProvider = defineOpenAICompatible({
  id: 'mistral',
  displayName: 'Mistral AI',
  description: 'Mistral Large, Small and the other Mistral models through La Plateforme’s chat API.',
  baseUrl: 'https://api.mistral.ai/v1',
  auth: 'bearer',
  keyHelp: 'console.mistral.ai/api-keys',
  models: ['mistral-large-latest', 'mistral-small-latest'],
  defaultModel: 'mistral-small-latest',
  parameters: { rename: { seed: 'random_seed' } },
});

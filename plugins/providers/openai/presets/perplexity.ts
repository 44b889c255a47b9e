import { defineOpenAICompatible } from './define.ts';

/** docs.perplexity.ai: Chat Completions at api.perplexity.ai with no tools, `seed` or `stop`, and no models list. */
export const perplexityProvider = defineOpenAICompatible({
  id: 'perplexity',
  displayName: 'Perplexity',
  description: 'Sonar models that search the web while answering, through Perplexity’s API.',
  baseUrl: 'https://api.perplexity.ai',
  auth: 'bearer',
  keyHelp: 'perplexity.ai/settings/api',
  models: ['sonar', 'sonar-pro'],
  defaultModel: 'sonar',
  tools: false,
  parameters: { unsupported: ['seed', 'stop'] },
});

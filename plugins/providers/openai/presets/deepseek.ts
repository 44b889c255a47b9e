import { defineOpenAICompatible } from './define.ts';

/**
 * api-docs.deepseek.com: OpenAI-compatible at api.deepseek.com; the API has no `seed`, and its JSON output is
 * `response_format: { type: 'json_object' }` without a schema, so structured output is off.
 */
export const deepseekProvider = defineOpenAICompatible({
  id: 'deepseek',
  displayName: 'DeepSeek',
  description: 'DeepSeek-V3 (deepseek-chat) and R1 (deepseek-reasoner) through DeepSeek’s OpenAI-compatible API.',
  baseUrl: 'https://api.deepseek.com/v1',
  auth: 'bearer',
  keyHelp: 'platform.deepseek.com/api_keys',
  models: ['deepseek-chat', 'deepseek-reasoner'],
  defaultModel: 'deepseek-chat',
  parameters: { unsupported: ['seed'] },
  structuredOutput: false,
});

import { defineOpenAICompatible } from './define.ts';

/** github.com/ollama/ollama/blob/main/docs/openai.md: /v1 on port 11434, no key; models are what was pulled. */
export const ollamaProvider = defineOpenAICompatible({
  id: 'ollama',
  displayName: 'Ollama',
  description: 'Models you run yourself with Ollama (ollama pull llama3.2), on your machine or server.',
  baseUrl: 'http://localhost:11434/v1',
  auth: 'none',
  models: 'listed',
  defaultModel: 'llama3.2',
});

import { defineOpenAICompatible } from './define.ts';

/** console.groq.com/docs/openai: Chat Completions at api.groq.com/openai/v1, Bearer key. */
export const groqProvider = defineOpenAICompatible({
  id: 'groq',
  displayName: 'Groq',
  description: 'Open models (Llama, Qwen, …) on Groq’s LPU inference, through its OpenAI-compatible API.',
  baseUrl: 'https://api.groq.com/openai/v1',
  auth: 'bearer',
  keyHelp: 'console.groq.com/keys',
  models: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant'],
  defaultModel: 'llama-3.3-70b-versatile',
});

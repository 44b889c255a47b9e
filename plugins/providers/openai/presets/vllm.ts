import { defineOpenAICompatible } from './define.ts';

/** docs.vllm.ai (OpenAI-compatible server): `vllm serve <model>` on port 8000, a key only with --api-key. */
export const vllmProvider = defineOpenAICompatible({
  id: 'vllm',
  displayName: 'vLLM',
  description: 'A model you serve with vLLM’s OpenAI-compatible server.',
  baseUrl: 'http://localhost:8000/v1',
  auth: 'none',
  models: 'listed',
  defaultModel: 'Qwen/Qwen2.5-7B-Instruct',
});

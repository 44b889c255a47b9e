import { defineOpenAICompatible } from './define.ts';

/** github.com/ggml-org/llama.cpp/tree/master/tools/server: `llama-server` on port 8080, a key only with --api-key. */
export const llamaCppProvider = defineOpenAICompatible({
  id: 'llama-cpp',
  displayName: 'llama.cpp server',
  description: 'A GGUF model you serve with llama.cpp’s llama-server.',
  baseUrl: 'http://localhost:8080/v1',
  auth: 'none',
  models: 'listed',
  defaultModel: 'local-model',
});

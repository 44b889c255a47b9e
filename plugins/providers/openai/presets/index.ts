/** The OpenAI-compatible presets, each a provider plugin of its own (see README.md, "Presets"). */
import { azureOpenAIProvider } from './azure.ts';
import { deepseekProvider } from './deepseek.ts';
import { groqProvider } from './groq.ts';
import { llamaCppProvider } from './llama-cpp.ts';
import { mistralProvider } from './mistral.ts';
import { ollamaProvider } from './ollama.ts';
import { openrouterProvider } from './openrouter.ts';
import { perplexityProvider } from './perplexity.ts';
import { togetherProvider } from './together.ts';
import { vllmProvider } from './vllm.ts';

export const openaiCompatibleProviders = [
  groqProvider,
  deepseekProvider,
  mistralProvider,
  openrouterProvider,
  togetherProvider,
  perplexityProvider,
  azureOpenAIProvider,
  ollamaProvider,
  vllmProvider,
  llamaCppProvider,
] as const;

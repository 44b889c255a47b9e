import { definePlugin } from '../../sdk/index.ts';
import { openaiChat } from './chat.ts';
import { openaiModels } from './models.ts';
import { openaiParameters } from './parameters.ts';
import { openaiSettings } from './settings.ts';
import { openaiSpeak } from './speak.ts';
import { openaiTranscribe } from './transcribe.ts';

/** OpenAI's Chat Completions API through the official SDK; also any OpenAI-compatible server via `baseUrl`. */
export const openaiProvider = definePlugin({
  id: 'openai',
  kind: 'provider',
  displayName: 'OpenAI',
  description: 'GPT and o-series models, or any OpenAI-compatible server (Azure, Groq, Mistral, Ollama, vLLM, …).',
  version: '1.0.0',
  settings: openaiSettings,
  secrets: ['apiKey'],
  capabilities: {
    chat: true,
    tools: true,
    vision: true,
    embeddings: false,
    speechToText: true,
    textToSpeech: true,
    offline: false,
    structuredOutput: true,
  },
  defaultModel: 'gpt-4o-mini',
  models: openaiModels,
  parameters: openaiParameters,
  chat: openaiChat,
  transcribe: openaiTranscribe,
  speak: openaiSpeak,
});

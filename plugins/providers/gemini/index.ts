import { definePlugin } from '../../sdk/index.ts';
import { geminiChat } from './chat.ts';
import { listGeminiModels } from './models.ts';
import { geminiParameters } from './parameters.ts';
import { geminiSettings } from './settings.ts';

export const GEMINI_DEFAULT_MODEL = 'gemini-2.5-flash';

/** Google's Gemini models through the Gemini Developer API, on the official @google/genai SDK. */
export const geminiProvider = definePlugin({
  id: 'gemini',
  kind: 'provider',
  displayName: 'Google Gemini',
  description: 'Gemini models (2.5 Flash, 2.5 Pro, 3 Pro, …) through the Gemini API with a Google AI Studio key.',
  version: '1.0.0',
  settings: geminiSettings,
  secrets: ['apiKey'],
  capabilities: {
    chat: true,
    tools: true,
    vision: true,
    embeddings: false,
    speechToText: false,
    textToSpeech: false,
    offline: false,
    structuredOutput: true,
  },
  defaultModel: GEMINI_DEFAULT_MODEL,
  models: listGeminiModels,
  parameters: geminiParameters,
  chat: geminiChat,
});

import { z } from 'zod';
import { definePlugin } from '../../sdk/index.ts';
import { offlineChat } from './chat.ts';
import { offlineSettings } from './settings.ts';

export const OFFLINE_MODEL = 'offline-echo';

/** Answers without any model, key or network: the default of a fresh `npm start`. */
export const offlineProvider = definePlugin({
  id: 'offline',
  kind: 'provider',
  displayName: 'Offline demo',
  description: 'Deterministic replies with no LLM, key or network. Labelled offline in every reply.',
  version: '1.0.0',
  settings: offlineSettings,
  secrets: [],
  capabilities: {
    chat: true,
    tools: false,
    vision: false,
    embeddings: false,
    speechToText: false,
    textToSpeech: false,
    offline: true,
    structuredOutput: true,
  },
  defaultModel: OFFLINE_MODEL,
  models: async () => [{ id: OFFLINE_MODEL, displayName: 'Offline echo (no model)', contextWindow: 100_000 }],
  parameters: () =>
    z.strictObject({
      temperature: z.number().min(0).max(2).optional().describe('Accepted for parity; the reply is deterministic.'),
      maxTokens: z.number().int().min(1).max(4096).optional().describe('Stops the reply after this many tokens.'),
    }),
  chat: offlineChat,
});

import { definePlugin } from '../../sdk/index.ts';
import { anthropicChat } from './chat.ts';
import { anthropicModels } from './models.ts';
import { anthropicParameters } from './parameters.ts';
import { anthropicSettings } from './settings.ts';

/**
 * Current Sonnet (platform.claude.com/docs/en/models/sonnet-5-5/overview). claude-sonnet-4-5 is deprecated and
 * reaches end-of-life on 2026-11-30 (the SDK's deprecated-models table), so new chatbots should not start on it.
 */
export const ANTHROPIC_DEFAULT_MODEL = 'claude-sonnet-5-5';

/** Claude through the official `@anthropic-ai/sdk` and the Messages API. */
export const anthropicProvider = definePlugin({
  id: 'anthropic',
  kind: 'provider',
  displayName: 'Anthropic Claude',
  description: 'Claude models through the Claude API (Messages API), with streaming and tool use.',
  version: '1.0.0',
  settings: anthropicSettings,
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
  defaultModel: ANTHROPIC_DEFAULT_MODEL,
  models: anthropicModels,
  parameters: anthropicParameters,
  chat: anthropicChat,
});

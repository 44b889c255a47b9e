import type { ModelInfo, PluginContext } from '../../sdk/index.ts';
import { createGeminiClient } from './client.ts';
import { readableError } from './errors.ts';
import type { RetryLog } from './retry.ts';
import type { GeminiSettings } from './settings.ts';

// models.list pages hold at most 1000 models (https://ai.google.dev/api/models#method:-models.list); one page
// covers the whole catalogue, and the SDK's pager follows `nextPageToken` if it ever does not.
const PAGE_SIZE = 1000;

/**
 * Models that generate content but are not chat models: speech, image and live-audio variants, which all list
 * `generateContent` among their methods yet answer with audio or images (https://ai.google.dev/gemini-api/docs/models).
 */
const NOT_CHAT = /(^|-)(tts|image|imagen|embedding|aqa|native-audio|live|veo|lyria|robotics|computer-use)(-|$)/;

/** The chat models the key can use, from `GET /v1beta/models`, sorted by id. */
export async function listGeminiModels(ctx: PluginContext<GeminiSettings>): Promise<ModelInfo[]> {
  const log: RetryLog = { retries: 0 };
  const client = await createGeminiClient(ctx, log);
  const found = new Map<string, ModelInfo>();
  try {
    const pager = await client.models.list({ config: { pageSize: PAGE_SIZE, abortSignal: ctx.signal } });
    for await (const model of pager) {
      const id = model.name?.replace(/^models\//, '');
      if (!id || !model.supportedActions?.includes('generateContent') || NOT_CHAT.test(id)) continue;
      const info: ModelInfo = { id, displayName: model.displayName?.trim() || id };
      const window = model.inputTokenLimit;
      if (typeof window === 'number' && Number.isInteger(window) && window > 0) info.contextWindow = window;
      found.set(id, info);
    }
  } catch (error) {
    throw await readableError(error, ctx.settings.apiKey, log);
  }
  return [...found.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

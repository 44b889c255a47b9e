import type { ModelInfo as ApiModelInfo } from '@anthropic-ai/sdk/resources/models';
import type { ModelInfo, PluginContext } from '../../sdk/index.ts';
import { createClient } from './client.ts';
import { readableError } from './errors.ts';
import type { AnthropicSettings } from './settings.ts';

// GET /v1/models accepts up to 1000 per page (Models API reference); one page holds every model in practice.
const PAGE_SIZE = 1000;

/**
 * The models this key may use, from `GET /v1/models`, sorted by name. Every entry is a chat model (the API lists no
 * other kind); retired ones are left out because inference on them fails.
 */
export async function anthropicModels(ctx: PluginContext<AnthropicSettings>): Promise<ModelInfo[]> {
  const client = await createClient(ctx);
  const listed: ApiModelInfo[] = [];
  try {
    // The SDK follows `has_more` / `last_id` to fetch any further pages.
    for await (const model of client.models.list({ limit: PAGE_SIZE }, { signal: ctx.signal })) listed.push(model);
  } catch (error) {
    throw await readableError(error, ctx.settings);
  }
  return listed
    .filter((model) => model.lifecycle !== 'retired')
    .map(toModelInfo)
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'en') || a.id.localeCompare(b.id, 'en'));
}

export function toModelInfo(model: ApiModelInfo): ModelInfo {
  const name = model.display_name.trim() || model.id;
  const info: ModelInfo = {
    id: model.id,
    displayName: model.lifecycle === 'deprecated' ? `${name} (deprecated)` : name,
  };
  // `max_input_tokens` is null when the API does not publish the window; ModelInfo then leaves it out.
  if (model.max_input_tokens !== null && model.max_input_tokens > 0) info.contextWindow = model.max_input_tokens;
  return info;
}

import { embedders } from '../../plugins/registry.ts';
import { EmbedderError, type EmbedResult } from '../../plugins/sdk/embedder.ts';
import type { Env } from '../env.ts';
import { openConfigsOf } from '../plugin-configs/store.ts';
import { systemClock } from '../ports/clock.ts';
import { outboundFetch } from '../security/outbound-fetch.ts';
import type { EmbedderRef } from './index/knowledge-index.ts';

/** The one embedder written for the Worker's `AI` binding: no other plugin is handed a binding (plugins/README.md). */
const WORKERS_AI_PLUGIN = 'workers-ai';

/** Why an embedding call could not be made at all (unknown plugin or model, team has not configured it). */
export class EmbedderUnavailable extends Error {
  override name = 'EmbedderUnavailable';
}

/**
 * Embeds `inputs` with the collection's embedder on the team's behalf, batched to the model's `maxBatch`. A plugin
 * whose settings are all optional (the offline embedder) works unconfigured; others need the team's configuration.
 * Provider failures surface as EmbedderError (retryable ones carry Retry-After) for ingestion to back off on: this
 * function retries nothing itself, so a 429 costs one request, not a burst of them.
 */
export async function embedTexts(
  env: Env,
  teamId: string,
  ref: EmbedderRef,
  inputs: readonly string[],
  purpose: 'document' | 'query',
  signal: AbortSignal = AbortSignal.timeout(30_000),
): Promise<EmbedResult> {
  const plugin = embedders.get(ref.pluginId);
  if (!plugin) throw new EmbedderUnavailable(`embedder ${ref.pluginId} is not installed`);
  const model = plugin.models.find((m) => m.id === ref.model);
  if (!model) throw new EmbedderUnavailable(`embedder ${ref.pluginId} has no model ${ref.model}`);
  const configs = await openConfigsOf(env, teamId, 'embedder', [plugin.id]);
  const configured = configs.get(plugin.id);
  const defaults = plugin.settings.safeParse({});
  const settings = configured ?? (defaults.success ? defaults.data : undefined);
  if (!settings) throw new EmbedderUnavailable(`embedder ${plugin.id} is not configured for this team`);
  const binding = plugin.id === WORKERS_AI_PLUGIN ? env.AI : undefined;
  if (plugin.id === WORKERS_AI_PLUGIN && !binding) {
    throw new EmbedderUnavailable(
      'the workers-ai embedder needs the AI binding ([ai] binding = "AI" in wrangler.toml)',
    );
  }
  const vectors: Float32Array[] = [];
  let tokens = 0;
  for (let start = 0; start < inputs.length; start += model.maxBatch) {
    const batch = inputs.slice(start, start + model.maxBatch);
    const result = await plugin.embed(
      { settings, fetch: outboundFetch(env), clock: systemClock, signal, ...(binding && { binding }) },
      { model: model.id, inputs: batch, purpose },
    );
    if (result.vectors.length !== batch.length || result.vectors.some((v) => v.length !== model.dimensions)) {
      throw new EmbedderError(`${plugin.id} returned vectors that do not match ${model.dimensions} × ${batch.length}`);
    }
    vectors.push(...result.vectors);
    tokens += result.tokens ?? 0;
  }
  return { vectors, ...(tokens > 0 && { tokens }) };
}

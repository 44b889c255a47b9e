/** The embedder models a new collection can use, read from the plugin catalog (`GET /api/v1/plugins`). */
import type { PluginInfo } from '../../lib/types';

export interface EmbedderChoice {
  pluginId: string;
  pluginName: string;
  model: string;
  label: string;
  dimensions: number;
  /** The offline embedder hashes words: its "dense" ranking is keyword-like (plugins/embedders/offline). */
  lexical: boolean;
}

/** The collection API's default (worker/knowledge/collections/store.ts DEFAULT_EMBEDDER): works with no key. */
export const DEFAULT_EMBEDDER = { pluginId: 'offline-embedder', model: 'hash-1024' } as const;

/** Chunking defaults (Open Chat Studio's, worker/knowledge/collections/schemas.ts examples). */
export const DEFAULT_CHUNKING = { chunkTokens: 800, chunkOverlap: 400 } as const;
/** Search defaults (the same OCS figures: dense weight 0.7, fetch 40, RRF k 60). */
export const DEFAULT_SEARCH = { denseWeight: 0.7, fetchK: 40, rrfK: 60 } as const;

interface ModelCapability {
  id: string;
  label: string;
  dimensions: number;
  lexical?: boolean;
}

const isModel = (value: unknown): value is ModelCapability =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ModelCapability).id === 'string' &&
  typeof (value as ModelCapability).dimensions === 'number';

/** One choice per model of each embedder plugin, in catalog order. */
export function embedderChoices(plugins: readonly PluginInfo[]): EmbedderChoice[] {
  return plugins
    .filter((plugin) => plugin.kind === 'embedder')
    .flatMap((plugin) => {
      const models = Array.isArray(plugin.capabilities.models) ? plugin.capabilities.models.filter(isModel) : [];
      return models.map((model) => ({
        pluginId: plugin.id,
        pluginName: plugin.displayName,
        model: model.id,
        label: model.label || model.id,
        dimensions: model.dimensions,
        lexical: model.lexical ?? false,
      }));
    });
}

/** The `<select>` value of a choice, and back: JSON, since model ids hold `/`, `@` and `:` (`@cf/baai/bge-m3`). */
export const choiceValue = (choice: { pluginId: string; model: string }) =>
  JSON.stringify([choice.pluginId, choice.model]);

export function parseChoiceValue(value: string): { pluginId: string; model: string } | null {
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((part) => typeof part === 'string' && part))
      return { pluginId: parsed[0], model: parsed[1] };
  } catch {
    // Not one of ours: the caller falls back to the default embedder.
  }
  return null;
}

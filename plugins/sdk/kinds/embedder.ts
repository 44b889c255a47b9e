import type { z } from 'zod';
import type { EmbedderPlugin } from '../embedder.ts';
import { defineKind } from '../kind.ts';

declare module '../kind.ts' {
  interface PluginKinds<S extends z.ZodObject = z.ZodObject> {
    embedder: EmbedderPlugin<S>;
  }
}

/** Embedders (interface in ../embedder.ts): knowledge collections embed their chunks and queries through one model. */
export const embedderKind = defineKind<EmbedderPlugin>({
  kind: 'embedder',
  label: 'Embedders',
  description: 'Turns documents and questions into vectors for knowledge search',
  contract: 'plugins/sdk/contracts/embedder.contract.ts',
  configs: 'single',
  capabilities: (plugin) => ({
    models: plugin.models.map((m) => ({
      id: m.id,
      label: m.label,
      dimensions: m.dimensions,
      lexical: m.lexical ?? false,
    })),
  }),
});

import type { z } from 'zod';
import { defineKind } from '../kind.ts';
import type { RerankerPlugin } from '../reranker.ts';

declare module '../kind.ts' {
  interface PluginKinds<S extends z.ZodObject = z.ZodObject> {
    reranker: RerankerPlugin<S>;
  }
}

/** Re-rankers (interface in ../reranker.ts): knowledge search re-orders its fused candidates with one model. */
export const rerankerKind = defineKind<RerankerPlugin>({
  kind: 'reranker',
  label: 'Re-rankers',
  description: 'Re-orders the best knowledge search hits by how well each answers the question',
  contract: 'plugins/sdk/contracts/reranker.contract.ts',
  configs: 'single',
  capabilities: (plugin) => ({
    models: plugin.models.map((m) => ({
      id: m.id,
      label: m.label,
      maxDocuments: m.maxDocuments,
      lexical: m.lexical ?? false,
    })),
  }),
  check(plugin) {
    if (plugin.models.length === 0) throw new Error(`re-ranker ${plugin.id} lists no models`);
  },
});

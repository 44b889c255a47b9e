import { z } from 'zod';
import { definePlugin } from '../../sdk/index.ts';
import { llmRouterKind } from './router.ts';

/** The LLM router node kind: a model picks the route (docs/pipeline-llm-nodes.md). */
export const llmRouterNode = definePlugin({
  id: 'llm-router',
  kind: 'node',
  displayName: 'LLM router',
  description: 'A pipeline node where the model chooses which of the named routes the conversation takes.',
  version: '1.0.0',
  settings: z.object({}),
  secrets: [],
  node: llmRouterKind,
});

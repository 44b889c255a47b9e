import { z } from 'zod';
import { DEFAULT_LLM_CALL, DEFAULT_PORT, defineNodeKind, definePlugin } from '../../sdk/index.ts';
import { runLlm } from './run.ts';
import { llmSettings } from './settings.ts';

/** The LLM step as a node: a model call with its tool loop, over a bounded history. */
export const llmNodeKind = defineNodeKind({
  id: 'llm',
  displayName: 'LLM',
  description:
    'Calls a model with a system prompt, the node input as the user message and a bounded history (none, its own, a named shared one or the whole conversation). Streams to the user when its answer is certain to be the reply.',
  settings: llmSettings,
  defaults: { ...DEFAULT_LLM_CALL, systemPrompt: '', parameters: {}, tools: [], maxToolSteps: 1 },
  inputs: 'text: the user content (the run input when it follows start)',
  output: "the model's answer as text",
  acceptsInput: true,
  ports: () => [DEFAULT_PORT],
  routes: false,
  silent: true,
  streams: true,
  references: (settings) => [
    ...(settings.credentialId
      ? [{ type: 'credential' as const, id: settings.credentialId, path: 'credentialId' }]
      : []),
    ...(settings.knowledge?.collectionIds ?? []).map((id, i) => ({
      type: 'collection' as const,
      id,
      path: `knowledge.collectionIds[${i}]`,
    })),
  ],
  run: runLlm,
});

export const llmNodePlugin = definePlugin({
  id: 'llm',
  kind: 'node',
  displayName: 'LLM node',
  description: 'Adds the LLM node: a model call with tools and history to a pipeline.',
  version: '1.0.0',
  // Nothing team-wide: the provider credential is chosen per node.
  settings: z.strictObject({}),
  secrets: [],
  node: llmNodeKind,
});

/**
 * A stored draft as a pipeline (the client's copy of worker/pipelines/definition.ts `fromV1`; UIs may import only
 * types from the worker). A version 1 draft (start → llm → end) opens as the same three-node graph.
 */
import type { Definition } from '../../lib/types';
import type { PipelineDefinition } from './api-types';

export function asPipeline(definition: Definition | PipelineDefinition): PipelineDefinition {
  if (definition.schemaVersion === 2) return definition;
  return {
    schemaVersion: 2,
    nodes: definition.nodes.map(({ id, type, ...settings }) => ({ id, kind: type, settings })),
    edges: definition.edges.map((edge) => ({ ...edge })),
    settings: { ...definition.settings },
  };
}

/** Variables a prompt/template field can name (plugins' Jinja context, worker/pipelines/nodes/template.ts) plus the
 * state keys the graph's set-state nodes write. */
export function templateVariables(definition: PipelineDefinition): string[] {
  const names = ['input', 'node_inputs', 'temp_state', 'session_state', 'participant_data'];
  const scopes: Record<string, string> = {
    run: 'temp_state',
    session: 'session_state',
    participant: 'participant_data',
  };
  for (const node of definition.nodes) {
    const { key, scope } = node.settings;
    if (typeof key === 'string' && typeof scope === 'string' && scopes[scope]) names.push(`${scopes[scope]}.${key}`);
  }
  return [...new Set(names)];
}

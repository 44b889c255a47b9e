/**
 * A stored draft as a pipeline (the client's copy of worker/pipelines/definition.ts `fromV1`; UIs may import only
 * types from the worker). A version 1 draft (start → llm → end) opens as the same three-node graph.
 */
import type { Definition } from '../../lib/types';
import type { PipelineDefinition } from './api-types';
import type { Point } from './graph';

export function asPipeline(definition: Definition | PipelineDefinition): PipelineDefinition {
  if (definition.schemaVersion === 2) return definition;
  return {
    schemaVersion: 2,
    nodes: definition.nodes.map(({ id, type, ...settings }) => ({ id, kind: type, settings })),
    edges: definition.edges.map((edge) => ({ ...edge })),
    settings: { ...definition.settings },
  };
}

/**
 * Node positions travel in the definition as each node's `ui: { x, y }` (worker/pipelines/definition.ts); the editor
 * keeps them beside it (`Graph.positions`) so a drag never rewrites the node objects. `splitLayout` takes them out of
 * a stored definition, `withLayout` puts them back for saving. Both put `ui` last in a node, so two definitions with
 * the same content compare equal as JSON (the autosave's "already saved?" test).
 */
export function splitLayout(definition: PipelineDefinition): {
  definition: PipelineDefinition;
  positions: Record<string, Point>;
} {
  const positions: Record<string, Point> = {};
  const nodes = definition.nodes.map(({ ui, ...node }) => {
    if (ui) positions[node.id] = { x: ui.x, y: ui.y };
    return node;
  });
  return { definition: { ...definition, nodes }, positions };
}

/** The server's bound on a coordinate (worker/pipelines/definition.ts MAX_CANVAS_COORDINATE). */
export const MAX_COORDINATE = 100_000;
const coordinate = (value: number) => Math.max(-MAX_COORDINATE, Math.min(MAX_COORDINATE, Math.round(value)));

export function withLayout(definition: PipelineDefinition, positions: Record<string, Point>): PipelineDefinition {
  return {
    ...definition,
    nodes: definition.nodes.map(({ ui: _ui, ...node }) => {
      const at = positions[node.id];
      return at ? { ...node, ui: { x: coordinate(at.x), y: coordinate(at.y) } } : node;
    }),
  };
}

/** A stored definition with `ui` last in every node (see splitLayout), positions unchanged. */
export function normalizeLayout(definition: PipelineDefinition): PipelineDefinition {
  const split = splitLayout(definition);
  return withLayout(split.definition, split.positions);
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

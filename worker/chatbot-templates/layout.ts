import type { PipelineDefinition } from '../pipelines/definition.ts';

/**
 * Canvas positions (`ui`) for a shipped template, so it opens in the editor drawn left to right: a node's column is
 * its longest distance from `start` (every edge points right), rows follow definition order within a column and are
 * centred on the tallest column. The same rule as the editor's auto-layout (dashboard/src/views/pipeline/layout.ts),
 * with the editor's node box: 190 px wide, up to ~100 px tall for a router with three routes.
 */
const COLUMN_STEP = 280;
const ROW_STEP = 130;

export function laidOut(definition: PipelineDefinition): PipelineDefinition {
  const column = new Map(definition.nodes.map((node) => [node.id, 0]));
  // Longest path by relaxation: a template is a small DAG, so nodes.length rounds settle every column.
  for (let round = 0; round < definition.nodes.length; round++) {
    for (const edge of definition.edges) {
      const next = (column.get(edge.from) ?? 0) + 1;
      if (next > (column.get(edge.to) ?? 0)) column.set(edge.to, next);
    }
  }
  const columns: string[][] = [];
  for (const node of definition.nodes) {
    const index = column.get(node.id) ?? 0;
    columns[index] = [...(columns[index] ?? []), node.id];
  }
  const tallest = Math.max(...columns.map((ids) => ids?.length ?? 0));
  const at = new Map<string, { x: number; y: number }>();
  columns.forEach((ids, c) => {
    const offset = ((tallest - ids.length) * ROW_STEP) / 2;
    ids.forEach((id, r) => {
      at.set(id, { x: c * COLUMN_STEP, y: Math.round(offset + r * ROW_STEP) });
    });
  });
  return { ...definition, nodes: definition.nodes.map((node) => ({ ...node, ui: at.get(node.id) ?? { x: 0, y: 0 } })) };
}

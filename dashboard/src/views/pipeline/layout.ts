/**
 * Auto-layout: a layered (Sugiyama-style) drawing, left to right. Each node's column is its longest distance from a
 * source (so every edge points right); within a column nodes are ordered by the mean row of their predecessors
 * (one barycentre sweep, enough for the tens of nodes a pipeline has) and centred on the tallest column.
 */
import type { PipelineDefinition } from './api-types';
import { NODE_HEIGHT, NODE_WIDTH, type Point } from './graph';

export const COLUMN_GAP = 90;
export const ROW_GAP = 40;

/** Column per node; an edge that would close a cycle (an invalid draft) is ignored rather than looping. */
export function layers(definition: PipelineDefinition): Map<string, number> {
  const ids = definition.nodes.map((node) => node.id);
  const incoming = new Map(ids.map((id) => [id, 0]));
  const next = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const edge of definition.edges) {
    if (!incoming.has(edge.from) || !incoming.has(edge.to) || edge.from === edge.to) continue;
    next.get(edge.from)?.push(edge.to);
    incoming.set(edge.to, (incoming.get(edge.to) ?? 0) + 1);
  }
  const rank = new Map(ids.map((id) => [id, 0]));
  const queue = ids.filter((id) => incoming.get(id) === 0);
  const done = new Set<string>();
  while (queue.length > 0) {
    const id = queue.shift() as string;
    done.add(id);
    for (const to of next.get(id) ?? []) {
      rank.set(to, Math.max(rank.get(to) ?? 0, (rank.get(id) ?? 0) + 1));
      const left = (incoming.get(to) ?? 1) - 1;
      incoming.set(to, left);
      if (left === 0) queue.push(to);
    }
  }
  // Nodes on a cycle never reach in-degree 0: put them after everything placed.
  const last = Math.max(0, ...[...done].map((id) => rank.get(id) ?? 0));
  for (const id of ids) if (!done.has(id)) rank.set(id, last + 1);
  return rank;
}

export function autoLayout(definition: PipelineDefinition, origin: Point = { x: 0, y: 0 }): Record<string, Point> {
  const rank = layers(definition);
  const columns: string[][] = [];
  for (const node of definition.nodes) {
    const column = rank.get(node.id) ?? 0;
    const list = columns[column] ?? [];
    list.push(node.id);
    columns[column] = list;
  }
  const row = new Map<string, number>();
  const preds = (id: string) => definition.edges.filter((edge) => edge.to === id).map((edge) => edge.from);
  for (const column of columns) {
    if (!column) continue;
    const weight = (id: string) => {
      const rows = preds(id)
        .map((p) => row.get(p))
        .filter((r): r is number => r !== undefined);
      return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : Number.POSITIVE_INFINITY;
    };
    // Stable: ties keep definition order.
    const ordered = column
      .map((id, index) => ({ id, index, w: weight(id) }))
      .sort((a, b) => a.w - b.w || a.index - b.index);
    ordered.forEach(({ id }, index) => {
      row.set(id, index);
    });
    column.splice(0, column.length, ...ordered.map(({ id }) => id));
  }
  const tallest = Math.max(1, ...columns.map((column) => column?.length ?? 0));
  const positions: Record<string, Point> = {};
  columns.forEach((column, c) => {
    if (!column) return;
    const offset = ((tallest - column.length) * (NODE_HEIGHT + ROW_GAP)) / 2;
    column.forEach((id, r) => {
      positions[id] = {
        x: origin.x + c * (NODE_WIDTH + COLUMN_GAP),
        y: Math.round(origin.y + offset + r * (NODE_HEIGHT + ROW_GAP)),
      };
    });
  });
  return positions;
}

/** Positions for nodes that have none (a draft saved elsewhere), keeping every placed node where it is. */
export function placeMissing(definition: PipelineDefinition, positions: Record<string, Point>): Record<string, Point> {
  const missing = definition.nodes.filter((node) => !positions[node.id]);
  if (missing.length === 0) return positions;
  if (missing.length === definition.nodes.length) return autoLayout(definition);
  const laid = autoLayout(definition);
  const placed = Object.values(positions);
  const bottom = Math.max(...placed.map((p) => p.y)) + NODE_HEIGHT + ROW_GAP;
  const next = { ...positions };
  for (const node of missing) next[node.id] = { x: laid[node.id]?.x ?? 0, y: bottom + (laid[node.id]?.y ?? 0) };
  return next;
}

/**
 * Version comparison on the graph: which nodes were added, removed or changed, and each changed node's settings
 * diff. Reads the server's diff (`GET …/versions/diff`), and computes the same from two definitions when the server
 * has none (an older worker), so the canvas can always show one.
 */
import type { PipelineDefinition, PipelineNode, SettingChange, VersionDiff } from './api-types';
import { edgeKey } from './graph';

export type NodeChange = 'added' | 'removed' | 'changed' | 'same';

export interface GraphDiff {
  /** A node that only moved on the canvas (its `ui`) is `same`: a move changes nothing the chatbot does. */
  nodes: Map<string, NodeChange>;
  /** Nodes whose position differs (server: `nodes.moved`), whatever else changed. */
  moved: Set<string>;
  settings: Map<string, SettingChange[]>;
  addedEdges: Set<string>;
  removedEdges: Set<string>;
}

const idOf = (item: string | { id: string }) => (typeof item === 'string' ? item : item.id);

export function fromServerDiff(diff: VersionDiff, nodeIds: Iterable<string>): GraphDiff {
  const nodes = new Map<string, NodeChange>();
  for (const id of nodeIds) nodes.set(id, 'same');
  for (const item of diff.nodes.added) nodes.set(idOf(item), 'added');
  for (const item of diff.nodes.removed) nodes.set(idOf(item), 'removed');
  const settings = new Map<string, SettingChange[]>();
  for (const change of diff.nodes.changed) {
    nodes.set(change.id, 'changed');
    // The server names the two sides `from` / `to` (worker/chatbots/version-diff.ts ValueChange).
    const list = change.settings ?? change.changes ?? [];
    settings.set(
      change.id,
      list.map(({ path, before, after, from, to }) => ({
        path,
        ...((before ?? from) !== undefined && { before: before ?? from }),
        ...((after ?? to) !== undefined && { after: after ?? to }),
      })),
    );
  }
  return {
    nodes,
    moved: new Set((diff.nodes.moved ?? []).map(idOf)),
    settings,
    addedEdges: new Set(diff.edges.added.map(edgeKey)),
    removedEdges: new Set(diff.edges.removed.map(edgeKey)),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Leaf-level changes between two values, as dotted paths (`settings.rules[0].port`). */
export function valueChanges(
  before: unknown,
  after: unknown,
  path: string,
  out: SettingChange[] = [],
): SettingChange[] {
  if (same(before, after)) return out;
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      valueChanges(before[key], after[key], path ? `${path}.${key}` : key, out);
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((item, index) => {
      valueChanges(item, after[index], `${path}[${index}]`, out);
    });
    return out;
  }
  out.push({ path, ...(before !== undefined && { before }), ...(after !== undefined && { after }) });
  return out;
}

// Position (`ui`) is compared apart: see GraphDiff.moved.
const nodeFields = ({ id: _id, ui: _ui, ...rest }: PipelineNode) => rest;

export function diffDefinitions(from: PipelineDefinition, to: PipelineDefinition): GraphDiff {
  const before = new Map(from.nodes.map((node) => [node.id, node]));
  const after = new Map(to.nodes.map((node) => [node.id, node]));
  const nodes = new Map<string, NodeChange>();
  const settings = new Map<string, SettingChange[]>();
  const moved = new Set<string>();
  for (const [id, node] of after) {
    const old = before.get(id);
    if (!old) nodes.set(id, 'added');
    else {
      if (!same(old.ui, node.ui)) moved.add(id);
      const changes = valueChanges(nodeFields(old), nodeFields(node), '');
      nodes.set(id, changes.length ? 'changed' : 'same');
      if (changes.length) settings.set(id, changes);
    }
  }
  for (const id of before.keys()) if (!after.has(id)) nodes.set(id, 'removed');
  const fromEdges = new Set(from.edges.map(edgeKey));
  const toEdges = new Set(to.edges.map(edgeKey));
  return {
    nodes,
    moved,
    settings,
    addedEdges: new Set([...toEdges].filter((key) => !fromEdges.has(key))),
    removedEdges: new Set([...fromEdges].filter((key) => !toEdges.has(key))),
  };
}

/** The graph to draw a comparison on: the newer definition plus the removed nodes and edges of the older one. */
export function unionDefinition(from: PipelineDefinition, to: PipelineDefinition): PipelineDefinition {
  const ids = new Set(to.nodes.map((node) => node.id));
  const keys = new Set(to.edges.map(edgeKey));
  return {
    ...to,
    nodes: [...to.nodes, ...from.nodes.filter((node) => !ids.has(node.id))],
    edges: [...to.edges, ...from.edges.filter((edge) => !keys.has(edgeKey(edge)))],
  };
}

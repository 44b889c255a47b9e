import { type AnyDefinition, type PipelineEdge, toPipeline } from '../pipelines/definition.ts';
import { DEFAULT_PORT } from '../pipelines/node-kind.ts';

/**
 * What changed between two versions, node by node. Both sides are read as pipelines (`toPipeline`), so a v1
 * version compares with a v2 one: a v1 llm node's fields are its settings.
 */

/** One leaf that differs; `from` / `to` are absent when the value is absent on that side. */
export interface ValueChange {
  /** A JSON path from the node (or the definition), e.g. `settings.rules[0].value`. */
  path: string;
  from?: unknown;
  to?: unknown;
}

export interface NodeSummary {
  id: string;
  kind: string;
}

export interface VersionDiff {
  nodes: {
    added: NodeSummary[];
    removed: NodeSummary[];
    /** Nodes present on both sides whose kind, label, settings, retry or timeout differ. */
    changed: (NodeSummary & { changes: ValueChange[] })[];
    /**
     * Nodes present on both sides whose place on the editor's canvas (`ui`) differs. Kept apart from `changed`:
     * a move changes nothing the chatbot does, so a node that only moved is not "changed". A node both moved and
     * changed is in both lists; `ui` never appears among `changes`.
     */
    moved: NodeSummary[];
  };
  edges: { added: PipelineEdge[]; removed: PipelineEdge[] };
  /** The chatbot's settings and the run limits (`settings.welcomeMessage`, `limits.maxNodeRuns`, …). */
  settings: ValueChange[];
}

export function diffDefinitions(before: AnyDefinition, after: AnyDefinition): VersionDiff {
  const a = toPipeline(before);
  const b = toPipeline(after);
  const beforeNodes = new Map(a.nodes.map((node) => [node.id, node]));
  const afterNodes = new Map(b.nodes.map((node) => [node.id, node]));
  const summary = ({ id, kind }: NodeSummary) => ({ id, kind });
  const changed: VersionDiff['nodes']['changed'] = [];
  const moved: NodeSummary[] = [];
  for (const node of b.nodes) {
    const old = beforeNodes.get(node.id);
    if (!old) continue;
    const { id: _oldId, ui: oldUi, ...oldRest } = old;
    const { id: _newId, ui: newUi, ...newRest } = node;
    const changes = diffValues(oldRest, newRest, '');
    if (changes.length) changed.push({ ...summary(node), changes });
    if (diffValues(oldUi, newUi, 'ui').length) moved.push(summary(node));
  }
  const edgeKey = (edge: PipelineEdge) => `${edge.from}\u0000${edge.fromPort ?? DEFAULT_PORT}\u0000${edge.to}`;
  const beforeEdges = new Set(a.edges.map(edgeKey));
  const afterEdges = new Set(b.edges.map(edgeKey));
  return {
    nodes: {
      added: b.nodes.filter((node) => !beforeNodes.has(node.id)).map(summary),
      removed: a.nodes.filter((node) => !afterNodes.has(node.id)).map(summary),
      changed,
      moved,
    },
    edges: {
      added: b.edges.filter((edge) => !beforeEdges.has(edgeKey(edge))),
      removed: a.edges.filter((edge) => !afterEdges.has(edgeKey(edge))),
    },
    settings: [
      ...diffValues(a.settings, b.settings, 'settings'),
      ...diffValues(a.limits ?? {}, b.limits ?? {}, 'limits'),
    ],
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Leaf-level differences: objects by key, lists by index (so a list that grows reports its new items). */
export function diffValues(before: unknown, after: unknown, path: string): ValueChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => diffValues(before[key], after[key], join(path, key)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => diffValues(before[i], after[i], `${path}[${i}]`)).flat();
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path, ...(before !== undefined && { from: before }), ...(after !== undefined && { to: after }) }];
}

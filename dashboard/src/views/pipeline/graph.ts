/**
 * The editor's graph: a schemaVersion 2 definition plus where each node sits on the canvas. Every edit is a pure
 * function returning a new graph, so undo/redo (history.ts) is a stack of values and the edits are unit-tested.
 * Positions are not part of the definition (its node schema is strict); the editor keeps them next to the draft
 * (drafts.ts) and lays out any node without one (layout.ts).
 */
import type { NodeTypeInfo, PipelineDefinition, PipelineEdge, PipelineNode } from './api-types';
import { newNodeSettings } from './new-node';

export interface Point {
  x: number;
  y: number;
}

export interface Graph {
  definition: PipelineDefinition;
  positions: Record<string, Point>;
}

/** The port every non-router node leaves by (worker/pipelines/node-kind.ts DEFAULT_PORT). */
export const DEFAULT_PORT = 'out';
export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 56;
export const PORT_ROW = 20;

export type TypeIndex = ReadonlyMap<string, NodeTypeInfo>;

export const typeIndex = (types: readonly NodeTypeInfo[]): TypeIndex => new Map(types.map((t) => [t.id, t]));

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A router's route names as its settings spell them (static_router: rules[].port + defaultPort; llm_router: routes). */
export function routePorts(settings: Record<string, unknown>): string[] {
  const ports: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string' && value !== '' && !ports.includes(value)) ports.push(value);
  };
  for (const list of [settings.rules, settings.routes]) {
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      if (typeof item === 'string') add(item);
      else if (isRecord(item)) add(item.port ?? item.name ?? item.id);
    }
  }
  add(settings.defaultPort ?? settings.defaultRoute);
  return ports;
}

export function acceptsInput(node: PipelineNode, types: TypeIndex): boolean {
  return types.get(node.kind)?.acceptsInput ?? node.kind !== 'start';
}

/** The output ports of a node: none for end, the route names for a router, else `out`. */
export function outputPorts(node: PipelineNode, types: TypeIndex): string[] {
  if (node.kind === 'end') return [];
  return types.get(node.kind)?.routes ? routePorts(node.settings) : [DEFAULT_PORT];
}

/** Routers list their routes down the right edge, one row each, below the title. */
const PORTS_TOP = 40;

export function nodeHeight(node: PipelineNode, types: TypeIndex): number {
  const count = outputPorts(node, types).length;
  return count <= 1 ? NODE_HEIGHT : PORTS_TOP + count * PORT_ROW;
}

/** Where output port `index` of `count` sits, from the node's top. */
export const portOffset = (index: number, count: number) =>
  count <= 1 ? NODE_HEIGHT / 2 : PORTS_TOP + index * PORT_ROW + PORT_ROW / 2;

export const edgePort = (edge: PipelineEdge) => edge.fromPort ?? DEFAULT_PORT;
export const edgeKey = (edge: PipelineEdge) => `${edge.from}:${edgePort(edge)}>${edge.to}`;

const ID = /^[a-z][a-z0-9_-]{0,39}$/;

/** A fresh node id from the kind (`llm`, `llm_2`, …), valid for the definition's id rule. */
export function newNodeId(taken: ReadonlySet<string>, kind: string): string {
  const base = (ID.test(kind) ? kind : 'node').slice(0, 34);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
}

const ids = (graph: Graph) => new Set(graph.definition.nodes.map((node) => node.id));

export function addNode(graph: Graph, kind: string, at: Point, types: TypeIndex): { graph: Graph; id: string } {
  const id = newNodeId(ids(graph), kind);
  const node: PipelineNode = { id, kind, settings: newNodeSettings(types.get(kind), graph.definition) };
  return {
    id,
    graph: {
      definition: { ...graph.definition, nodes: [...graph.definition.nodes, node] },
      positions: { ...graph.positions, [id]: at },
    },
  };
}

export function moveNodes(graph: Graph, moved: readonly string[], dx: number, dy: number): Graph {
  const positions = { ...graph.positions };
  for (const id of moved) {
    const at = positions[id];
    if (at) positions[id] = { x: Math.round(at.x + dx), y: Math.round(at.y + dy) };
  }
  return { ...graph, positions };
}

/** Removes nodes and every edge touching them, and the listed edges. */
export function removeItems(graph: Graph, nodeIds: readonly string[], edgeKeys: readonly string[] = []): Graph {
  const gone = new Set(nodeIds);
  const cut = new Set(edgeKeys);
  const positions = { ...graph.positions };
  for (const id of gone) delete positions[id];
  return {
    positions,
    definition: {
      ...graph.definition,
      nodes: graph.definition.nodes.filter((node) => !gone.has(node.id)),
      edges: graph.definition.edges.filter(
        (edge) => !gone.has(edge.from) && !gone.has(edge.to) && !cut.has(edgeKey(edge)),
      ),
    },
  };
}

/** Whether `to` already reaches `from`, so an edge from → to would close a cycle (pipelines are acyclic). */
export function reaches(definition: PipelineDefinition, start: string, target: string): boolean {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (id === target) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const edge of definition.edges) if (edge.from === id) stack.push(edge.to);
  }
  return false;
}

/** Connects an output port to a node's input, or says why not (shown to the user as is). */
export function connect(graph: Graph, from: string, port: string, to: string, types: TypeIndex): Graph | string {
  const { definition } = graph;
  const source = definition.nodes.find((node) => node.id === from);
  const target = definition.nodes.find((node) => node.id === to);
  if (!source || !target) return 'That node no longer exists.';
  if (from === to) return 'A node cannot connect to itself.';
  if (!outputPorts(source, types).includes(port)) return `"${from}" has no output "${port}".`;
  if (!acceptsInput(target, types)) return `"${to}" takes no input.`;
  const edge: PipelineEdge = port === DEFAULT_PORT ? { from, to } : { from, fromPort: port, to };
  if (definition.edges.some((e) => edgeKey(e) === edgeKey(edge))) return 'These ports are already connected.';
  if (reaches(definition, to, from)) return 'That connection would make a loop; pipelines run one way.';
  return { ...graph, definition: { ...definition, edges: [...definition.edges, edge] } };
}

export function updateNode(
  graph: Graph,
  id: string,
  change: { settings?: Record<string, unknown>; label?: string },
): Graph {
  const nodes = graph.definition.nodes.map((node) => {
    if (node.id !== id) return node;
    const next: PipelineNode = { ...node, ...(change.settings && { settings: change.settings }) };
    if (change.label !== undefined) {
      if (change.label.trim() === '') delete next.label;
      else next.label = change.label;
    }
    return next;
  });
  return { ...graph, definition: { ...graph.definition, nodes } };
}

/** What copy puts on the clipboard: the nodes, the edges among them and their positions. */
export interface Clip {
  nodes: PipelineNode[];
  edges: PipelineEdge[];
  positions: Record<string, Point>;
}

export function copyItems(graph: Graph, nodeIds: readonly string[]): Clip {
  const chosen = new Set(nodeIds);
  // The start node is unique in a pipeline, so it is never copied.
  const nodes = graph.definition.nodes.filter((node) => chosen.has(node.id) && node.kind !== 'start');
  const kept = new Set(nodes.map((node) => node.id));
  return {
    nodes: structuredClone(nodes),
    edges: graph.definition.edges.filter((edge) => kept.has(edge.from) && kept.has(edge.to)).map((e) => ({ ...e })),
    positions: Object.fromEntries(nodes.map((node) => [node.id, graph.positions[node.id] ?? { x: 0, y: 0 }])),
  };
}

/** Pastes a clip with fresh ids, offset so the copies sit beside the originals; returns the new ids. */
export function pasteClip(graph: Graph, clip: Clip, offset: Point): { graph: Graph; ids: string[] } {
  const taken = ids(graph);
  const rename = new Map<string, string>();
  for (const node of clip.nodes) {
    const id = newNodeId(taken, node.id.replace(/_\d+$/, ''));
    taken.add(id);
    rename.set(node.id, id);
  }
  const positions = { ...graph.positions };
  const nodes = clip.nodes.map((node) => {
    const id = rename.get(node.id) as string;
    const at = clip.positions[node.id] ?? { x: 0, y: 0 };
    positions[id] = { x: at.x + offset.x, y: at.y + offset.y };
    return { ...structuredClone(node), id };
  });
  const edges = clip.edges.map((edge) => ({
    ...edge,
    from: rename.get(edge.from) as string,
    to: rename.get(edge.to) as string,
  }));
  return {
    ids: nodes.map((node) => node.id),
    graph: {
      positions,
      definition: {
        ...graph.definition,
        nodes: [...graph.definition.nodes, ...nodes],
        edges: [...graph.definition.edges, ...edges],
      },
    },
  };
}

/** Keeps edges whose router port was renamed or removed from dangling silently: they are dropped with the port. */
export function pruneDanglingEdges(graph: Graph, types: TypeIndex): Graph {
  const byId = new Map(graph.definition.nodes.map((node) => [node.id, node]));
  const edges = graph.definition.edges.filter((edge) => {
    const source = byId.get(edge.from);
    return source !== undefined && byId.has(edge.to) && outputPorts(source, types).includes(edgePort(edge));
  });
  return edges.length === graph.definition.edges.length
    ? graph
    : { ...graph, definition: { ...graph.definition, edges } };
}

/**
 * The pan and zoom that centre `graph` in a `width` × `height` canvas with a 30 px margin, zoom clamped to
 * 0.2–1.25 (below 0.2 node labels are unreadable; above 1.25 a small graph looks like a mistake).
 */
export function fitViewport(
  graph: Graph,
  types: TypeIndex,
  size: { width: number; height: number },
): { x: number; y: number; k: number } {
  const box = bounds(graph, types);
  if (box.width === 0) return { x: 40, y: 40, k: 1 };
  const k = Math.min(1.25, Math.max(0.2, Math.min((size.width - 60) / box.width, (size.height - 60) / box.height)));
  return { k, x: (size.width - box.width * k) / 2 - box.x * k, y: (size.height - box.height * k) / 2 - box.y * k };
}

/** Bounds of the given nodes (all when empty), for fit-to-screen. */
export function bounds(graph: Graph, types: TypeIndex): { x: number; y: number; width: number; height: number } {
  const nodes = graph.definition.nodes;
  if (nodes.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  let [minX, minY, maxX, maxY] = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, -Infinity, -Infinity];
  for (const node of nodes) {
    const at = graph.positions[node.id] ?? { x: 0, y: 0 };
    minX = Math.min(minX, at.x);
    minY = Math.min(minY, at.y);
    maxX = Math.max(maxX, at.x + NODE_WIDTH);
    maxY = Math.max(maxY, at.y + nodeHeight(node, types));
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

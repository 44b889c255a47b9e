import { describe, expect, it } from 'vitest';
import type { NodeTypeInfo, PipelineDefinition } from './api-types';
import {
  addNode,
  connect,
  copyItems,
  fitViewport,
  type Graph,
  moveNodes,
  NODE_WIDTH,
  newNodeId,
  outputPorts,
  pasteClip,
  pruneDanglingEdges,
  removeItems,
  routePorts,
  typeIndex,
  updateNode,
} from './graph';

const type = (id: string, extra: Partial<NodeTypeInfo> = {}): NodeTypeInfo => ({
  id,
  displayName: id,
  description: '',
  inputs: '',
  output: '',
  acceptsInput: id !== 'start',
  routes: false,
  settingsSchema: { type: 'object', properties: {} },
  ...extra,
});

const types = typeIndex([
  type('start'),
  type('end'),
  type('llm', { settingsSchema: { type: 'object', properties: { temperature: { type: 'number', default: 0.7 } } } }),
  type('static_router', { routes: true }),
]);

const definition: PipelineDefinition = {
  schemaVersion: 2,
  nodes: [
    { id: 'start', kind: 'start', settings: {} },
    { id: 'llm', kind: 'llm', settings: {} },
    { id: 'end', kind: 'end', settings: {} },
  ],
  edges: [
    { from: 'start', to: 'llm' },
    { from: 'llm', to: 'end' },
  ],
  settings: {} as PipelineDefinition['settings'],
};

const graph: Graph = {
  definition,
  positions: { start: { x: 0, y: 0 }, llm: { x: 200, y: 0 }, end: { x: 400, y: 0 } },
};

describe('pipeline graph edits', () => {
  it('adds a node with a fresh id and its schema defaults', () => {
    const { graph: next, id } = addNode(graph, 'llm', { x: 10, y: 20 }, types);
    expect(id).toBe('llm_2');
    expect(next.definition.nodes.at(-1)).toEqual({ id: 'llm_2', kind: 'llm', settings: { temperature: 0.7 } });
    expect(next.positions.llm_2).toEqual({ x: 10, y: 20 });
    expect(graph.definition.nodes).toHaveLength(3);
  });

  it('makes ids that the definition accepts', () => {
    expect(newNodeId(new Set(), 'Weird Kind!')).toBe('node');
    expect(newNodeId(new Set(['a', 'a_2']), 'a')).toBe('a_3');
  });

  it('connects a port to an input and refuses self-loops, cycles, duplicates and start as target', () => {
    const { graph: withRouter } = addNode(graph, 'static_router', { x: 0, y: 0 }, types);
    const router = updateNode(withRouter, 'static_router', {
      settings: { rules: [{ port: 'yes' }, { port: 'no' }], defaultPort: 'other' },
    });
    const linked = connect(router, 'static_router', 'yes', 'end', types);
    expect(typeof linked).toBe('object');
    expect((linked as Graph).definition.edges.at(-1)).toEqual({ from: 'static_router', fromPort: 'yes', to: 'end' });
    expect(connect(graph, 'llm', 'out', 'llm', types)).toMatch(/itself/);
    expect(connect(graph, 'llm', 'out', 'end', types)).toMatch(/already/);
    expect(connect(graph, 'end', 'out', 'start', types)).toMatch(/no output/);
    expect(connect(graph, 'llm', 'out', 'start', types)).toMatch(/takes no input/);
    const extra = addNode(graph, 'llm', { x: 0, y: 0 }, types).graph;
    const chain = connect(extra, 'llm', 'out', 'llm_2', types) as Graph;
    expect(connect(chain, 'llm_2', 'out', 'llm', types)).toMatch(/loop/);
  });

  it('names router ports from either router settings shape', () => {
    expect(routePorts({ rules: [{ port: 'a' }, { port: 'b' }, { port: 'a' }], defaultPort: 'c' })).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(routePorts({ routes: ['x', { name: 'y' }] })).toEqual(['x', 'y']);
    expect(outputPorts({ id: 'end', kind: 'end', settings: {} }, types)).toEqual([]);
    expect(outputPorts({ id: 'l', kind: 'llm', settings: {} }, types)).toEqual(['out']);
  });

  it('drops the edges of a router port that was renamed', () => {
    let g = addNode(graph, 'static_router', { x: 0, y: 0 }, types).graph;
    g = updateNode(g, 'static_router', { settings: { rules: [{ port: 'yes' }], defaultPort: 'no' } });
    g = connect(g, 'static_router', 'yes', 'end', types) as Graph;
    g = updateNode(g, 'static_router', { settings: { rules: [{ port: 'ja' }], defaultPort: 'no' } });
    expect(pruneDanglingEdges(g, types).definition.edges.some((e) => e.from === 'static_router')).toBe(false);
  });

  it('moves, removes with their edges, and clears an empty label', () => {
    const moved = moveNodes(graph, ['llm'], 5.4, -3.6);
    expect(moved.positions.llm).toEqual({ x: 205, y: -4 });
    expect(moved.positions.start).toBe(graph.positions.start);
    const removed = removeItems(graph, ['llm']);
    expect(removed.definition.edges).toEqual([]);
    expect(removed.positions.llm).toBeUndefined();
    expect(removeItems(graph, [], ['start:out>llm']).definition.edges).toEqual([{ from: 'llm', to: 'end' }]);
    const labelled = updateNode(graph, 'llm', { label: 'Answer' });
    expect(labelled.definition.nodes[1]?.label).toBe('Answer');
    expect(updateNode(labelled, 'llm', { label: ' ' }).definition.nodes[1]).not.toHaveProperty('label');
  });

  it('copies and pastes nodes with new ids and their inner edges, never the start node', () => {
    const clip = copyItems(graph, ['start', 'llm', 'end']);
    expect(clip.nodes.map((n) => n.id)).toEqual(['llm', 'end']);
    expect(clip.edges).toEqual([{ from: 'llm', to: 'end' }]);
    const { graph: pasted, ids } = pasteClip(graph, clip, { x: 40, y: 40 });
    expect(ids).toEqual(['llm_2', 'end_2']);
    expect(pasted.definition.edges.at(-1)).toEqual({ from: 'llm_2', to: 'end_2' });
    expect(pasted.positions.llm_2).toEqual({ x: 240, y: 40 });
  });
});

describe('fit to screen', () => {
  it('keeps every node inside the canvas, centred, whatever its width', () => {
    for (const width of [400, 900, 1600]) {
      const view = fitViewport(graph, types, { width, height: 500 });
      for (const [id, at] of Object.entries(graph.positions)) {
        const left = at.x * view.k + view.x;
        expect(left, `${id} at width ${width}`).toBeGreaterThanOrEqual(0);
        expect(left + NODE_WIDTH * view.k, `${id} at width ${width}`).toBeLessThanOrEqual(width);
      }
    }
  });

  it('clamps the zoom and answers a default view for an empty graph', () => {
    expect(fitViewport(graph, types, { width: 20_000, height: 20_000 }).k).toBe(1.25);
    expect(fitViewport(graph, types, { width: 80, height: 80 }).k).toBe(0.2);
    const empty = { definition: { ...graph.definition, nodes: [], edges: [] }, positions: {} };
    expect(fitViewport(empty, types, { width: 800, height: 500 })).toEqual({ x: 40, y: 40, k: 1 });
  });
});

import { describe, expect, it } from 'vitest';
import type { PipelineDefinition } from './api-types';
import { diffDefinitions, fromServerDiff, unionDefinition, valueChanges } from './diff-map';

const base: PipelineDefinition = {
  schemaVersion: 2,
  nodes: [
    { id: 'start', kind: 'start', settings: {} },
    { id: 'llm', kind: 'llm', settings: { model: 'a', temperature: 0.5 } },
    { id: 'old', kind: 'reply', settings: { text: 'hi' } },
    { id: 'end', kind: 'end', settings: {} },
  ],
  edges: [
    { from: 'start', to: 'llm' },
    { from: 'llm', to: 'old' },
    { from: 'old', to: 'end' },
  ],
  settings: {} as PipelineDefinition['settings'],
};

const next: PipelineDefinition = {
  ...base,
  nodes: [
    { id: 'start', kind: 'start', settings: {} },
    { id: 'llm', kind: 'llm', settings: { model: 'b', temperature: 0.5 }, label: 'Answer' },
    { id: 'new', kind: 'reply', settings: { text: 'yo' } },
    { id: 'end', kind: 'end', settings: {} },
  ],
  edges: [
    { from: 'start', to: 'llm' },
    { from: 'llm', to: 'new' },
    { from: 'new', to: 'end' },
  ],
};

describe('version diff on the graph', () => {
  it('marks added, removed and changed nodes with per-setting changes', () => {
    const diff = diffDefinitions(base, next);
    expect(Object.fromEntries(diff.nodes)).toEqual({
      start: 'same',
      llm: 'changed',
      new: 'added',
      end: 'same',
      old: 'removed',
    });
    expect(diff.settings.get('llm')).toEqual([
      { path: 'settings.model', before: 'a', after: 'b' },
      { path: 'label', after: 'Answer' },
    ]);
    expect([...diff.addedEdges]).toEqual(['llm:out>new', 'new:out>end']);
    expect([...diff.removedEdges]).toEqual(['llm:out>old', 'old:out>end']);
  });

  it('a node that only moved is the same, listed as moved; the server’s `moved` is read too', () => {
    const moved: PipelineDefinition = {
      ...base,
      nodes: base.nodes.map((node) =>
        node.id === 'old'
          ? { ...node, ui: { x: 5, y: 6 } }
          : node.id === 'llm'
            ? { ...node, ui: { x: 1, y: 1 } }
            : node,
      ),
    };
    const placed = {
      ...base,
      nodes: base.nodes.map((node) => (node.id === 'llm' ? { ...node, ui: { x: 0, y: 0 } } : node)),
    };
    const diff = diffDefinitions(placed, moved);
    expect([...diff.nodes.values()].every((change) => change === 'same')).toBe(true);
    expect(diff.settings.size).toBe(0);
    expect([...diff.moved].sort()).toEqual(['llm', 'old']);
    const server = fromServerDiff(
      { nodes: { added: [], removed: [], changed: [], moved: [{ id: 'llm' }] }, edges: { added: [], removed: [] } },
      ['start', 'llm'],
    );
    expect(server.nodes.get('llm')).toBe('same');
    expect([...server.moved]).toEqual(['llm']);
  });

  it('reads the server diff in either node shape', () => {
    const diff = fromServerDiff(
      {
        nodes: {
          added: ['new'],
          removed: [{ id: 'old' }],
          changed: [{ id: 'llm', settings: [{ path: 'settings.model', before: 'a', after: 'b' }] }],
        },
        edges: { added: [{ from: 'llm', fromPort: 'yes', to: 'new' }], removed: [] },
      },
      ['start', 'llm', 'new', 'end', 'old'],
    );
    expect(diff.nodes.get('start')).toBe('same');
    expect(diff.nodes.get('old')).toBe('removed');
    expect(diff.settings.get('llm')?.[0]?.after).toBe('b');
    expect(diff.addedEdges.has('llm:yes>new')).toBe(true);
  });

  it('draws removed nodes and edges alongside the newer graph', () => {
    const union = unionDefinition(base, next);
    expect(union.nodes.map((n) => n.id)).toEqual(['start', 'llm', 'new', 'end', 'old']);
    expect(union.edges).toHaveLength(5);
  });

  it('walks arrays item by item when their length is unchanged', () => {
    expect(
      valueChanges({ rules: [{ port: 'a' }, { port: 'b' }] }, { rules: [{ port: 'a' }, { port: 'c' }] }, ''),
    ).toEqual([{ path: 'rules[1].port', before: 'b', after: 'c' }]);
    expect(valueChanges({ list: [1] }, { list: [1, 2] }, '')).toEqual([{ path: 'list', before: [1], after: [1, 2] }]);
  });
});

describe('the server diff', () => {
  it('reads its `from` / `to` as before / after', () => {
    const diff = fromServerDiff(
      {
        nodes: { added: [], removed: [], changed: [{ id: 'llm', changes: [{ path: 'label', from: 'A', to: 'B' }] }] },
        edges: { added: [], removed: [] },
      },
      ['llm'],
    );
    expect(diff.settings.get('llm')).toEqual([{ path: 'label', before: 'A', after: 'B' }]);
  });
});

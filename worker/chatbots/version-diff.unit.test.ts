import { describe, expect, it } from 'vitest';
import { simpleDefinition } from './definition.ts';
import { diffDefinitions } from './version-diff.ts';

const v1 = simpleDefinition({
  providerId: 'offline',
  credentialId: null,
  model: 'offline-echo',
  systemPrompt: 'Be brief.',
  parameters: { temperature: 0.2 },
  tools: [],
  maxToolSteps: 2,
});

describe('version diff', () => {
  it('is empty for the same definition, and for a v1 definition against its own pipeline form', () => {
    expect(diffDefinitions(v1, v1)).toEqual({
      nodes: { added: [], removed: [], changed: [], moved: [] },
      edges: { added: [], removed: [] },
      settings: [],
    });
    const asPipeline = {
      schemaVersion: 2 as const,
      nodes: v1.nodes.map(({ id, type, ...settings }) => ({ id, kind: type, settings })),
      edges: v1.edges,
      settings: v1.settings,
    };
    expect(diffDefinitions(v1, asPipeline).nodes.changed).toEqual([]);
  });

  it('reports added and removed nodes and edges, per-setting changes with paths, and chatbot settings', () => {
    const llm = v1.nodes[1] as (typeof v1.nodes)[number] & Record<string, unknown>;
    const { id: _id, type: _type, ...llmSettings } = llm;
    const after = {
      schemaVersion: 2 as const,
      nodes: [
        { id: 'start', kind: 'start', settings: {} },
        {
          id: 'route',
          kind: 'static_router',
          settings: { source: 'input', rules: [{ port: 'a', operator: 'exists' }], defaultPort: 'b' },
        },
        {
          id: 'llm',
          kind: 'llm',
          label: 'Answer',
          settings: { ...llmSettings, systemPrompt: 'Be kind.', parameters: { temperature: 0.7 }, tools: ['clock'] },
          retry: { attempts: 3, backoffMs: 1000 },
        },
        { id: 'done', kind: 'end', settings: {} },
      ],
      edges: [
        { from: 'start', to: 'route' },
        { from: 'route', fromPort: 'a', to: 'llm' },
        { from: 'route', fromPort: 'b', to: 'done' },
        { from: 'llm', to: 'done' },
      ],
      settings: { ...v1.settings, welcomeMessage: 'Hello!', fallbackReply: 'Sorry' },
      limits: { maxNodeRuns: 20 },
    };
    const diff = diffDefinitions(v1, after);
    expect(diff.nodes.added).toEqual([
      { id: 'route', kind: 'static_router' },
      { id: 'done', kind: 'end' },
    ]);
    expect(diff.nodes.removed).toEqual([{ id: 'end', kind: 'end' }]);
    expect(diff.nodes.changed).toEqual([
      {
        id: 'llm',
        kind: 'llm',
        changes: [
          { path: 'settings.systemPrompt', from: 'Be brief.', to: 'Be kind.' },
          { path: 'settings.parameters.temperature', from: 0.2, to: 0.7 },
          { path: 'settings.tools[0]', to: 'clock' },
          { path: 'label', to: 'Answer' },
          { path: 'retry', to: { attempts: 3, backoffMs: 1000 } },
        ],
      },
    ]);
    expect(diff.edges.added).toEqual([
      { from: 'start', to: 'route' },
      { from: 'route', fromPort: 'a', to: 'llm' },
      { from: 'route', fromPort: 'b', to: 'done' },
      { from: 'llm', to: 'done' },
    ]);
    expect(diff.edges.removed).toEqual([
      { from: 'start', to: 'llm' },
      { from: 'llm', to: 'end' },
    ]);
    expect(diff.settings).toEqual([
      { path: 'settings.welcomeMessage', from: '', to: 'Hello!' },
      { path: 'settings.fallbackReply', to: 'Sorry' },
      { path: 'limits.maxNodeRuns', to: 20 },
    ]);
  });

  it('an edge that gains an explicit default port is the same edge; a kind change is a change', () => {
    const a = {
      schemaVersion: 2 as const,
      nodes: [
        { id: 'start', kind: 'start', settings: {} },
        { id: 'x', kind: 'reply', settings: { text: 'a' } },
      ],
      edges: [{ from: 'start', to: 'x' }],
      settings: v1.settings,
    };
    const b = {
      ...a,
      nodes: [a.nodes[0], { id: 'x', kind: 'template', settings: { template: 'a' } }],
      edges: [{ from: 'start', fromPort: 'out', to: 'x' }],
    };
    const diff = diffDefinitions(a, b as typeof a);
    expect(diff.edges).toEqual({ added: [], removed: [] });
    expect(diff.nodes.changed[0]?.changes).toEqual([
      { path: 'kind', from: 'reply', to: 'template' },
      { path: 'settings.text', from: 'a' },
      { path: 'settings.template', to: 'a' },
    ]);
  });

  it('a node that only moved on the canvas is `moved`, not changed; a moved and edited node is in both', () => {
    const a = {
      schemaVersion: 2 as const,
      nodes: [
        { id: 'start', kind: 'start', settings: {}, ui: { x: 0, y: 0 } },
        { id: 'x', kind: 'reply', settings: { text: 'a' }, ui: { x: 280, y: 0 } },
        { id: 'end', kind: 'end', settings: {} },
      ],
      edges: [
        { from: 'start', to: 'x' },
        { from: 'x', to: 'end' },
      ],
      settings: v1.settings,
    };
    const onlyMoved = {
      ...a,
      nodes: [
        { ...a.nodes[0], ui: { x: 0, y: 120 } },
        a.nodes[1],
        // Gaining a position is a move too (a draft saved through the API first, then opened in the editor).
        { ...a.nodes[2], ui: { x: 560, y: 0 } },
      ],
    };
    const moved = diffDefinitions(a, onlyMoved as typeof a);
    expect(moved.nodes.changed).toEqual([]);
    expect(moved.nodes.moved).toEqual([
      { id: 'start', kind: 'start' },
      { id: 'end', kind: 'end' },
    ]);
    const both = {
      ...a,
      nodes: [a.nodes[0], { ...a.nodes[1], settings: { text: 'b' }, ui: { x: 1, y: 1 } }, a.nodes[2]],
    };
    const diff = diffDefinitions(a, both as typeof a);
    expect(diff.nodes.changed).toEqual([
      { id: 'x', kind: 'reply', changes: [{ path: 'settings.text', from: 'a', to: 'b' }] },
    ]);
    expect(diff.nodes.moved).toEqual([{ id: 'x', kind: 'reply' }]);
  });
});

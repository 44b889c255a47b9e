import { describe, expect, it } from 'vitest';
import type { PipelineDefinition } from './api-types';
import { MAX_COORDINATE, normalizeLayout, splitLayout, withLayout } from './convert';
import { chooseDefinition, forgetDraft, keepDraft, keptDraft } from './drafts';

function memoryStore() {
  const map = new Map<string, string>();
  return {
    getItem: (key: string) => map.get(key) ?? null,
    setItem: (key: string, value: string) => void map.set(key, value),
    removeItem: (key: string) => void map.delete(key),
    map,
  };
}

const def = (text: string): PipelineDefinition => ({
  schemaVersion: 2,
  nodes: [{ id: 'reply', kind: 'reply', settings: { text } }],
  edges: [],
  settings: {} as PipelineDefinition['settings'],
});

describe('unsaved edits kept on the device', () => {
  it('keeps, restores and forgets a draft per chatbot', () => {
    const store = memoryStore();
    keepDraft(store, 'bot1', { definition: def('mine'), baseRevision: '3', keptAt: 1 });
    expect(keptDraft(store, 'bot1')?.baseRevision).toBe('3');
    expect(keptDraft(store, 'bot2')).toBeNull();
    forgetDraft(store, 'bot1');
    expect(keptDraft(store, 'bot1')).toBeNull();
  });

  it('ignores garbage and a full store', () => {
    const store = memoryStore();
    store.map.set('parley.pipeline.draft.bot', '{not json');
    expect(keptDraft(store, 'bot')).toBeNull();
    const full = {
      ...store,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(() => keepDraft(full, 'bot', { definition: def('x'), baseRevision: null, keptAt: 1 })).not.toThrow();
    expect(keptDraft(full, 'bot')).toBeNull();
  });

  it('opens the local edit unless the server already has it', () => {
    expect(chooseDefinition(def('server'), null)).toEqual({ definition: def('server'), restored: false });
    const kept = { definition: def('mine'), baseRevision: null, keptAt: 1 };
    expect(chooseDefinition(def('server'), kept)).toEqual({ definition: def('mine'), restored: true });
    expect(chooseDefinition(def('mine'), kept).restored).toBe(false);
  });
});

describe('node positions in the definition (ui)', () => {
  const placed: PipelineDefinition = {
    schemaVersion: 2,
    nodes: [
      { ui: { x: 10, y: 20 }, id: 'start', kind: 'start', settings: {} },
      { id: 'end', kind: 'end', settings: {} },
    ],
    edges: [{ from: 'start', to: 'end' }],
    settings: {} as PipelineDefinition['settings'],
  };

  it('splits positions out of a stored definition and puts them back, ui last, rounded and bounded', () => {
    const split = splitLayout(placed);
    expect(split.positions).toEqual({ start: { x: 10, y: 20 } });
    expect(split.definition.nodes.every((node) => node.ui === undefined)).toBe(true);
    const saved = withLayout(split.definition, { ...split.positions, end: { x: 300.4, y: -5e6 } });
    expect(saved.nodes[0]).toEqual({ id: 'start', kind: 'start', settings: {}, ui: { x: 10, y: 20 } });
    expect(saved.nodes[1]?.ui).toEqual({ x: 300, y: -MAX_COORDINATE });
    // Same content, same JSON: what the autosave compares.
    expect(JSON.stringify(Object.keys(saved.nodes[0] ?? {}))).toBe('["id","kind","settings","ui"]');
    expect(JSON.stringify(normalizeLayout(placed))).toBe(JSON.stringify(withLayout(split.definition, split.positions)));
  });

  it('keeps an unsaved move on the device like any edit, and a moved draft differs from the server’s', () => {
    const store = memoryStore();
    const split = splitLayout(placed);
    const moved = withLayout(split.definition, { start: { x: 99, y: 20 } });
    keepDraft(store, 'bot', { definition: moved, baseRevision: '1', keptAt: 1 });
    const chosen = chooseDefinition(normalizeLayout(placed), keptDraft(store, 'bot'));
    expect(chosen.restored).toBe(true);
    expect(splitLayout(chosen.definition).positions.start).toEqual({ x: 99, y: 20 });
  });
});

import { describe, expect, it } from 'vitest';
import type { PipelineDefinition } from './api-types';
import { chooseDefinition, forgetDraft, keepDraft, keepLayout, keptDraft, keptLayout } from './drafts';

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
    expect(() => keepLayout(full, 'bot', { a: { x: 1, y: 2 } })).not.toThrow();
    keepLayout(store, 'bot', { a: { x: 1, y: 2 } });
    expect(keptLayout(store, 'bot')).toEqual({ a: { x: 1, y: 2 } });
  });

  it('opens the local edit unless the server already has it', () => {
    expect(chooseDefinition(def('server'), null)).toEqual({ definition: def('server'), restored: false });
    const kept = { definition: def('mine'), baseRevision: null, keptAt: 1 };
    expect(chooseDefinition(def('server'), kept)).toEqual({ definition: def('mine'), restored: true });
    expect(chooseDefinition(def('mine'), kept).restored).toBe(false);
  });
});

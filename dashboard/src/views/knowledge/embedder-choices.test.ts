import { describe, expect, it } from 'vitest';
import type { PluginInfo } from '../../lib/types';
import { choiceValue, embedderChoices, parseChoiceValue } from './embedder-choices';

const plugin = (id: string, kind: string, capabilities: Record<string, unknown>): PluginInfo => ({
  id,
  kind,
  displayName: id.toUpperCase(),
  description: '',
  version: '1.0.0',
  capabilities,
  secrets: [],
});

describe('embedder choices', () => {
  it('lists each model of each embedder plugin, and nothing of other kinds', () => {
    const choices = embedderChoices([
      plugin('openai', 'provider', { models: [{ id: 'gpt', label: 'GPT', dimensions: 1 }] }),
      plugin('offline-embedder', 'embedder', {
        models: [{ id: 'hash-1024', label: 'Hashing', dimensions: 1024, lexical: true }],
      }),
      plugin('openai-embeddings', 'embedder', {
        models: [
          { id: 'text-embedding-3-small', label: '', dimensions: 1536 },
          { id: 'broken' }, // no dimensions: not a model the API would accept
        ],
      }),
      plugin('odd', 'embedder', { models: 'none' }),
    ]);
    expect(choices).toEqual([
      {
        pluginId: 'offline-embedder',
        pluginName: 'OFFLINE-EMBEDDER',
        model: 'hash-1024',
        label: 'Hashing',
        dimensions: 1024,
        lexical: true,
      },
      {
        pluginId: 'openai-embeddings',
        pluginName: 'OPENAI-EMBEDDINGS',
        model: 'text-embedding-3-small',
        label: 'text-embedding-3-small',
        dimensions: 1536,
        lexical: false,
      },
    ]);
  });

  it('round-trips a choice through its select value', () => {
    const value = choiceValue({ pluginId: 'gemini-embeddings', model: 'models/text-embedding-004' });
    expect(parseChoiceValue(value)).toEqual({ pluginId: 'gemini-embeddings', model: 'models/text-embedding-004' });
    expect(parseChoiceValue('')).toBeNull();
    expect(parseChoiceValue('only-a-plugin')).toBeNull();
    expect(parseChoiceValue('["a"]')).toBeNull();
    expect(parseChoiceValue('["a", 1]')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { chosenModel, modelChoice, OTHER_MODEL } from './model-choice';

describe('model choice', () => {
  it('selects a listed model and falls back to Other for an unlisted one', () => {
    expect(modelChoice(['gpt-4o', 'gpt-4o-mini'], 'gpt-4o-mini')).toEqual({ selected: 'gpt-4o-mini', other: '' });
    expect(modelChoice(['gpt-4o'], 'ft:gpt-4o:acme')).toEqual({ selected: OTHER_MODEL, other: 'ft:gpt-4o:acme' });
    expect(modelChoice([], 'llama3')).toEqual({ selected: OTHER_MODEL, other: 'llama3' });
    expect(chosenModel(OTHER_MODEL, ' llama3 ')).toBe('llama3');
    expect(chosenModel('gpt-4o', 'ignored')).toBe('gpt-4o');
  });
});

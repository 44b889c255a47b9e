import { describe, expect, it } from 'vitest';
import { chatbotDefinition, llmStep, simpleDefinition } from './definition.ts';

const llm = {
  providerId: 'offline',
  credentialId: null,
  model: 'offline-echo',
  systemPrompt: '',
  parameters: {},
  tools: [],
  maxToolSteps: 4,
};

describe('chatbot definition graph', () => {
  it('accepts start → llm → end and finds the llm step', () => {
    const definition = simpleDefinition(llm);
    expect(llmStep(definition).model).toBe('offline-echo');
  });

  it.each([
    ['a dangling end', { edges: [{ from: 'start', to: 'llm' }] }, 'lead from start to an end'],
    ['a node off the path', { nodes: [...simpleDefinition(llm).nodes, { id: 'extra', type: 'end' }] }, 'every node'],
    ['an unknown edge target', { edges: [{ from: 'start', to: 'nowhere' }] }, 'unknown node'],
    [
      'two outgoing edges',
      {
        edges: [
          { from: 'start', to: 'llm' },
          { from: 'start', to: 'end' },
          { from: 'llm', to: 'end' },
        ],
      },
      'more than one outgoing',
    ],
    [
      'duplicate ids',
      {
        nodes: [
          { id: 'start', type: 'start' },
          { id: 'start', type: 'end' },
        ],
      },
      'unique',
    ],
  ])('rejects %s', (_name, change, message) => {
    const result = chatbotDefinition.safeParse({ ...simpleDefinition(llm), ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message).join(' ')).toContain(message);
  });

  it('rejects an unknown burst policy and an over-long prompt', () => {
    const base = simpleDefinition(llm);
    expect(chatbotDefinition.safeParse({ ...base, settings: { ...base.settings, burstPolicy: 'drop' } }).success).toBe(
      false,
    );
    expect(() => simpleDefinition({ ...llm, systemPrompt: 'x'.repeat(32_001) })).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { runNodeContract } from '../../sdk/contracts/node.contract.ts';
import { fakeNodeServices, runNodeKind } from '../../sdk/testing/node-harness.ts';
import { llmNodeKind, llmNodePlugin } from './index.ts';
import { windowByCount, windowByTokens } from './window.ts';

const base = {
  providerId: 'offline',
  credentialId: null,
  model: 'offline-echo',
  systemPrompt: 'Be brief.',
  parameters: {},
  tools: [],
  maxToolSteps: 1,
};

runNodeContract(llmNodePlugin, {
  examples: [
    { settings: base, input: 'hello' },
    { settings: { ...base, history: { mode: 'node', bound: { type: 'messages', last: 4 } } }, input: 'hi' },
    { settings: { ...base, prompt: 'Translate: {{input}}', history: { mode: 'none' } }, input: 'bonjour' },
  ],
  invalidSettings: [
    { settings: { ...base, model: '' }, why: 'a model is required' },
    { settings: { ...base, history: { mode: 'named' } }, why: 'a named history needs a name' },
    { settings: { ...base, unknown: 1 }, why: 'unknown fields are refused' },
  ],
});

const text = (n: number) => 'x'.repeat(n * 4);

describe('history windows', () => {
  it('keeps newest messages within the token budget, opening with a user message', () => {
    const messages = [
      { role: 'user' as const, content: text(10) },
      { role: 'assistant' as const, content: text(10) },
      { role: 'user' as const, content: text(10) },
      { role: 'assistant' as const, content: text(10) },
      { role: 'user' as const, content: text(10) },
    ];
    expect(windowByTokens(messages, 30).kept).toHaveLength(3);
    // 25 tokens fit two messages; the window would open with an assistant message, so it drops to one.
    const two = windowByTokens(messages, 25);
    expect(two.kept).toHaveLength(1);
    expect(two.dropped).toBe(4);
    // The newest message is kept even when it alone is over budget.
    expect(windowByTokens([{ role: 'user', content: text(100) }], 10).kept).toHaveLength(1);
  });

  it('keeps the last N messages', () => {
    const messages = [
      { role: 'user' as const, content: 'a' },
      { role: 'assistant' as const, content: 'b' },
      { role: 'user' as const, content: 'c' },
    ];
    expect(windowByCount(messages, 2).kept.map((m) => m.content)).toEqual(['c']);
    expect(windowByCount(messages, 3)).toEqual({ kept: messages, dropped: 0 });
  });
});

describe('llm node', () => {
  it('sends the conversation and appends nothing to named histories in conversation mode', async () => {
    const services = fakeNodeServices({
      conversationHistory: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'one' },
        { role: 'user', content: 'second' },
      ],
    });
    const result = await runNodeKind(llmNodeKind, { settings: base, input: 'second', runInput: 'second', services });
    expect(services.chats[0]?.messages.map((m) => m.content)).toEqual(['first', 'one', 'second']);
    expect(services.chats[0]?.stream).toBe(true);
    expect(result.output).toBe('second');
    expect(result.usage).toEqual({ inputTokens: 10, outputTokens: 5 });
    expect(services.histories.size).toBe(0);
  });

  it('keeps its own history across runs', async () => {
    const services = fakeNodeServices({ llm: (request) => ({ text: `echo ${request.messages.length}` }) });
    const settings = { ...base, history: { mode: 'node' } };
    await runNodeKind(llmNodeKind, { settings, input: 'a', services });
    await runNodeKind(llmNodeKind, { settings, input: 'b', services });
    expect(services.chats[1]?.messages.map((m) => m.content)).toEqual(['a', 'echo 1', 'b']);
    expect([...services.histories.values()][0]).toHaveLength(4);
  });

  it('summarises what falls out of a summary window', async () => {
    const services = fakeNodeServices({
      llm: (request) => ({ text: request.system?.startsWith('Summarise') ? 'SUMMARY' : 'answer' }),
    });
    const settings = { ...base, history: { mode: 'named', name: 'shared', bound: { type: 'summary', budget: 100 } } };
    for (const input of [text(60), text(60), text(60)]) await runNodeKind(llmNodeKind, { settings, input, services });
    const summary = services.summaries.get('named:shared');
    expect(summary?.text).toBe('SUMMARY');
    expect(summary?.through).toBeGreaterThan(0);
    expect(services.chats.at(-1)?.system).toContain('SUMMARY');
  });
});

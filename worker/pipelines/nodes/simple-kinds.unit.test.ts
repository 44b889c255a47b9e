import { describe, expect, it } from 'vitest';
import { pipeline, runTest } from '../testing.ts';

/** start → each of `middle` in turn → end. */
const chain = (...middle: [string, string, Record<string, unknown>][]) => {
  const ids = ['start', ...middle.map(([id]) => id), 'end'];
  return pipeline(
    [['start', 'start'], ...middle, ['end', 'end']],
    ids.slice(1).map((id, i) => `${ids[i]} - ${id}`),
  );
};

describe('set_state', () => {
  it('assigns the input when no value is given, appends, increments by 1 by default and deletes, in order', async () => {
    const definition = chain([
      'set',
      'set_state',
      {
        operations: [
          { op: 'assign', scope: 'participant', key: 'last_message' },
          { op: 'append', scope: 'session', key: 'topics', value: { name: 'tea' } },
          { op: 'increment', scope: 'session', key: 'turns' },
          { op: 'delete', scope: 'session', key: 'stale' },
          { op: 'assign', scope: 'run', key: 'flag', value: true },
        ],
      },
    ]);
    const { run, output } = await runTest(definition, { input: 'hello', session: { stale: 1, turns: 4 } });
    expect(run.state).toEqual({
      run: { flag: true },
      session: { topics: [{ name: 'tea' }], turns: 5 },
      participant: { last_message: 'hello' },
    });
    expect(output('set')).toBe('hello');
  });

  it('fails, naming the node, when it increments a non-number', async () => {
    const definition = chain([
      'count',
      'set_state',
      { operations: [{ op: 'increment', scope: 'session', key: 'name' }] },
    ]);
    const { run } = await runTest(definition, { session: { name: 'Ada' } });
    expect(run.error).toEqual({ nodeId: 'count', code: 'node_failed', message: 'session.name is not a number' });
    expect(run.state.session).toEqual({ name: 'Ada' });
  });
});

describe('reply, end and end_conversation', () => {
  it('reply sends its text mid-run, or its input; end sends its input; replies keep their order', async () => {
    const definition = chain(['hello', 'reply', { text: 'One moment…' }], ['echo', 'reply', {}]);
    const { replies, output } = await runTest(definition, { input: 'Where is my order?' });
    expect(replies).toEqual(['One moment…', 'Where is my order?', 'Where is my order?']);
    expect(output('end')).toBe('Where is my order?');
  });

  it('end with reply: false stays silent; an empty input sends nothing; objects go as JSON', async () => {
    const silent = pipeline(
      [
        ['start', 'start'],
        ['end', 'end', { reply: false }],
      ],
      ['start - end'],
    );
    expect((await runTest(silent)).replies).toEqual([]);
    const empty = chain(['blank', 'template', { template: '{{ "" }}' }]);
    expect((await runTest(empty)).replies).toEqual([]);
    const json = chain(['obj', 'set_state', { operations: [{ op: 'assign', scope: 'run', key: 'k', value: 1 }] }]);
    expect((await runTest(json, { input: { a: 1 } })).replies).toEqual(['{"a":1}']);
  });

  it('end_conversation marks the run and passes its input on', async () => {
    const definition = chain(['bye', 'end_conversation', { reason: 'resolved' }]);
    const { run, replies } = await runTest(definition);
    expect(run.endConversation).toEqual({ nodeId: 'bye', reason: 'resolved' });
    expect(replies).toEqual(['Hi']);
  });
});

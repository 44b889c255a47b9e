import { describe, expect, it } from 'vitest';
import { runNodeContract } from '../../sdk/contracts/node.contract.ts';
import { runNodeKind } from '../../sdk/testing/node-harness.ts';
import { setStateNode } from './index.ts';
import { setStateKind } from './set-state.ts';

runNodeContract(setStateNode, {
  examples: [
    { settings: { operations: [{ op: 'assign', scope: 'session', key: 'seen', value: true }] } },
    {
      settings: {
        operations: [
          { op: 'append', scope: 'participant', key: 'topics' },
          { op: 'increment', scope: 'run', key: 'n', by: 2 },
          { op: 'delete', scope: 'session', key: 'old' },
        ],
      },
    },
  ],
  invalidSettings: [
    { settings: { operations: [] }, why: 'at least one operation' },
    { settings: { operations: [{ op: 'assign', scope: 'global', key: 'k' }] }, why: 'an unknown scope' },
    { settings: { operations: [{ op: 'rename', scope: 'run', key: 'k' }] }, why: 'an unknown operation' },
    { settings: { operations: [{ op: 'assign', scope: 'run', key: 'a b' }] }, why: 'a key with a space' },
    { settings: { operations: [{ op: 'increment', scope: 'run', key: 'k', by: 'one' }] }, why: 'a non-number step' },
  ],
});

describe('set_state', () => {
  it('assigns the input when no value is given, appends, increments by 1 by default and deletes, in order', async () => {
    const result = await runNodeKind(setStateKind, {
      settings: {
        operations: [
          { op: 'assign', scope: 'participant', key: 'last_message' },
          { op: 'append', scope: 'session', key: 'topics', value: { name: 'tea' } },
          { op: 'increment', scope: 'session', key: 'turns' },
          { op: 'delete', scope: 'session', key: 'stale' },
          { op: 'assign', scope: 'run', key: 'flag', value: true },
        ],
      },
      input: 'hello',
      state: { session: { stale: 1, turns: 4 } },
    });
    expect(result.state).toEqual({
      run: { flag: true },
      session: { topics: [{ name: 'tea' }], turns: 5 },
      participant: { last_message: 'hello' },
    });
    expect(result.output).toBe('hello');
    expect(result.writes.map((write) => write.op)).toEqual(['set', 'append', 'increment', 'delete', 'set']);
  });

  it('fails when it increments a non-number', async () => {
    await expect(
      runNodeKind(setStateKind, {
        settings: { operations: [{ op: 'increment', scope: 'session', key: 'name' }] },
        state: { session: { name: 'Ada' } },
      }),
    ).rejects.toThrow('session.name is not a number');
  });
});

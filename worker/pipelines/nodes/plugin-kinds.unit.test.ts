import { describe, expect, it } from 'vitest';
import { pipeline, runTest } from '../testing.ts';

/** The plugin kinds (plugins/nodes/*) inside the engine, as the registry gives them (../kinds.ts). */
describe('plugin kinds in the engine', () => {
  it('first matching rule wins; the input passes through on the chosen port', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        [
          'r',
          'static_router',
          {
            source: 'input',
            rules: [
              { port: 'first', operator: 'contains', value: 'a' },
              { port: 'second', operator: 'contains', value: 'ab' },
            ],
            defaultPort: 'none',
          },
        ],
        ['end', 'end'],
      ],
      ['start - r', 'r:first - end', 'r:second - end', 'r:none - end'],
    );
    const { run, replies } = await runTest(definition, { input: 'abc' });
    expect(run.trace.find((entry) => entry.nodeId === 'r')?.port).toBe('first');
    expect(replies).toEqual(['abc']);
  });

  it('as a node: sees input, node_inputs, temp_state, session_state and participant_data; errors name the template', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['set', 'set_state', { operations: [{ op: 'assign', scope: 'run', key: 'topic', value: 'tea' }] }],
        [
          't',
          'template',
          {
            template:
              '{{ input }}|{{ node_inputs | length }}|{{ temp_state.topic }}|{{ session_state.mood }}|{{ participant_data.name }}',
          },
        ],
        ['bad', 'template', { template: '{{ nothing + 1 }}' }],
        ['end', 'end'],
      ],
      ['start - set', 'set - t', 't - end', 't - bad', 'bad - end'],
    );
    const { output, run } = await runTest(definition, { session: { mood: 'calm' }, participant: { name: 'Ada' } });
    expect(output('t')).toBe('Hi|1|tea|calm|Ada');
    expect(run.error).toEqual({
      nodeId: 'bad',
      code: 'node_failed',
      message: 'template: Cannot perform operation + on undefined values',
    });
  });
});

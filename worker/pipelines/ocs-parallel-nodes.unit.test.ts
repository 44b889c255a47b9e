import { describe, expect, it } from 'vitest';
import { pipeline, keyRouter as router, runTest, tpl } from './testing.ts';

/**
 * Graph-semantics cases ported from Open Chat Studio (dimagi/open-chat-studio, apps/pipelines/tests/), each named
 * after the test it came from. OCS's render_template nodes are our `template` kind; its code nodes become the
 * built-in kind doing the same thing. Where Parley deliberately differs (a join runs once with every input that
 * arrived, in edge order, instead of once per arriving branch), the test says so and asserts our rule.
 */

describe('test_parallel_nodes.py', () => {
  it('test_parallel_branch_pipeline: both branches run; end runs once with both inputs (OCS: twice)', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['a', 'template', tpl('A ({{ input }})')],
        ['b', 'template', tpl('B ({{ input }})')],
        ['c', 'template', tpl('C ({{ input }})')],
        ['end', 'end'],
      ],
      ['start - a', 'start - b', 'b - c', 'a - end', 'c - end'],
    );
    const { output, run, replies } = await runTest(definition, { input: 'The Input' });
    expect(output('a')).toBe('A (The Input)');
    expect(output('b')).toBe('B (The Input)');
    expect(output('c')).toBe('C (B (The Input))');
    // OCS's reply is the last message appended (C's); ours is end's last input in edge order, the same here.
    expect(replies).toEqual(['C (B (The Input))']);
    expect(run.trace.find((entry) => entry.nodeId === 'end')?.input).toEqual([
      { from: 'a', port: 'out', value: 'A (The Input)' },
      { from: 'c', port: 'out', value: 'C (B (The Input))' },
    ]);
  });

  it('test_parallel_branch_with_merge: D runs once with A and C in edge order (OCS: once per branch)', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['a', 'template', tpl('A ({{ input }})')],
        ['b', 'template', tpl('B ({{ input }})')],
        ['c', 'template', tpl('C ({{ input }})')],
        ['d', 'template', tpl("D ({{ node_inputs | join(', ') }})")],
        ['end', 'end'],
      ],
      ['start - a', 'start - b', 'b - c', 'a - d', 'c - d', 'd - end'],
    );
    const { output, run } = await runTest(definition, { input: 'The Input' });
    expect(output('d')).toBe('D (A (The Input), C (B (The Input)))');
    expect(run.path.filter((id) => id === 'd')).toHaveLength(1);
  });

  it('test_parallel_branch_with_dangling_node: a node not connected to end still runs', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['a', 'template', tpl('A ({{ input }})')],
        ['b', 'template', tpl('B ({{ input }})')],
        ['end', 'end'],
      ],
      ['start - a', 'start - b', 'b - end'],
    );
    const { output, replies } = await runTest(definition, { input: 'The Input' });
    expect(output('a')).toBe('A (The Input)');
    expect(replies).toEqual(['B (The Input)']);
  });

  it('test_code_node_wait_for_inputs: a join waits for its longer branch without require_node_outputs', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['a', 'template', tpl('A: {{ input }}')],
        ['b', 'template', tpl('B: {{ input }}')],
        ['c', 'template', tpl('C: {{ input }}')],
        ['code', 'template', tpl('{{ node_inputs[0] }},{{ node_inputs[1] }}')],
        ['end', 'end'],
      ],
      ['start - a', 'start - c', 'a - b', 'b - code', 'c - code', 'code - end'],
    );
    const { replies, run } = await runTest(definition);
    expect(replies).toEqual(['B: A: Hi,C: Hi']);
    expect(run.path).toEqual(['start', 'a', 'c', 'b', 'code', 'end']);
  });

  it.each([
    ['long-branch-edge-first', ['c - d', 'b - d'], 'C: A: Hi|B: Hi'],
    ['short-branch-edge-first', ['b - d', 'c - d'], 'B: Hi|C: A: Hi'],
  ])(
    'test_merge_node_inputs_arrive_in_execution_order (%s): inputs come in edge order, not arrival order',
    async (_, mergeEdges, expected) => {
      const definition = pipeline(
        [
          ['start', 'start'],
          ['a', 'template', tpl('A: {{ input }}')],
          ['b', 'template', tpl('B: {{ input }}')],
          ['c', 'template', tpl('C: {{ input }}')],
          ['d', 'template', tpl("{{ node_inputs | join('|') }}")],
          ['end', 'end'],
        ],
        ['start - a', 'start - b', 'a - c', ...mergeEdges, 'd - end'],
      );
      // OCS runs D once per branch in arrival order; Parley runs it once, and the definition (not timing) fixes the order.
      const { output } = await runTest(definition);
      expect(output('d')).toBe(expected);
    },
  );

  it('test_merge_node_waits_for_optional_branch: the branch not taken is skipped; the join runs with what arrived', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['router', 'static_router', router('route', ['b', 'c'])],
        ['a', 'template', tpl('A: {{ input }}')],
        ['b', 'template', tpl('B: {{ input }}')],
        ['c', 'template', tpl('C: {{ input }}')],
        ['set', 'set_state', { operations: [{ op: 'assign', scope: 'run', key: 'route', value: 'b' }] }],
        ['merge', 'template', tpl("{{ node_inputs | join(',') }}")],
        ['end', 'end'],
      ],
      [
        'start - set',
        'set - router',
        'start - a',
        'router:b - b',
        'router:c - c',
        'a - merge',
        'b - merge',
        'c - merge',
        'merge - end',
      ],
    );
    const { replies, run, events } = await runTest(definition);
    expect(replies).toEqual(['A: Hi,B: Hi']);
    expect(run.nodes.c).toEqual({ status: 'skipped' });
    expect(events).toContainEqual({ type: 'node.skipped', runId: 'run-1', nodeId: 'c', kind: 'template' });
  });

  it('test_node_downstream_of_merge_gets_merged_output', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['a', 'template', tpl('A: {{ input }}')],
        ['b', 'template', tpl('B: {{ input }}')],
        ['c', 'template', tpl('C: {{ input }}')],
        ['code', 'template', tpl("{{ node_inputs | join(',') }}")],
        ['d', 'template', tpl('D: {{ input }}')],
        ['end', 'end'],
      ],
      ['start - a', 'start - c', 'a - b', 'b - code', 'c - code', 'code - d', 'd - end'],
    );
    const { output } = await runTest(definition);
    expect(output('d')).toBe('D: B: A: Hi,C: Hi');
  });

  it('test_merge_output_not_lost_when_a_branch_arrives_with_it', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['p', 'template', tpl('P: {{ input }}')],
        ['q1', 'template', tpl('Q1: {{ input }}')],
        ['q2', 'template', tpl('Q2: {{ input }}')],
        ['r1', 'template', tpl('R1: {{ input }}')],
        ['r2', 'template', tpl('R2: {{ input }}')],
        ['r3', 'template', tpl('R3: {{ input }}')],
        ['code', 'template', tpl('merged:{{ node_inputs[0] }}+{{ node_inputs[1] }}')],
        ['d', 'template', tpl("{{ node_inputs | join(',') }}")],
        ['end', 'end'],
      ],
      [
        'start - p',
        'start - q1',
        'start - r1',
        'p - code',
        'q1 - q2',
        'q2 - code',
        'r1 - r2',
        'r2 - r3',
        'code - d',
        'r3 - d',
        'd - end',
      ],
    );
    // OCS sorts the inputs to compare them; here edge order already fixes it (`code - d` is listed before `r3 - d`).
    const { output } = await runTest(definition);
    expect(output('d')).toBe('merged:P: Hi+Q2: Q1: Hi,R3: R2: R1: Hi');
  });

  it('test_dangling_node_abort_terminates_early: an abort stops the nodes after it', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['a', 'template', tpl('{{ input }}')],
        ['b', 'template', tpl('{{ input }}')],
        ['abort', 'abort', { message: 'Abort!' }],
        ['end', 'end'],
      ],
      ['start - abort', 'start - a', 'a - b', 'b - end'],
    );
    const { run, replies } = await runTest(definition);
    expect(run.status).toBe('aborted');
    expect(run.nodes.b).toBeUndefined();
    expect(replies).toEqual(['Abort!']);
  });

  it.each(['safe', 'unsafe'])('test_safety_router_abort (%s)', async (verdict) => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['a', 'template', tpl('{{ input }}')],
        ['router', 'static_router', { ...router('is_safe', ['safe', 'unsafe']), source: 'session' }],
        ['abort', 'abort', { message: 'Unsafe input' }],
        ['end', 'end'],
      ],
      ['start - a', 'start - router', 'a - end', 'router:safe - end', 'router:unsafe - abort'],
    );
    const { run } = await runTest(definition, { session: { is_safe: verdict } });
    expect(run.status).toBe(verdict === 'safe' ? 'completed' : 'aborted');
  });

  it('test_dangling_node_abort_after: an abort after the last node still aborts', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['a', 'template', tpl('{{ input }}')],
        ['b', 'template', tpl('{{ input }}')],
        ['c', 'template', tpl('{{ input }}')],
        ['abort', 'abort', { message: 'Abort!' }],
        ['end', 'end'],
      ],
      ['start - a', 'start - b', 'a - end', 'b - c', 'c - abort'],
    );
    const { run } = await runTest(definition);
    expect(run.status).toBe('aborted');
    expect(run.path).toEqual(['start', 'a', 'b', 'c', 'end']);
  });
});

import { describe, expect, it } from 'vitest';
import { kindRegistry } from './nodes/index.ts';
import { abortKind, pipeline, runTest, tpl } from './testing.ts';
import { graphIssues } from './validate.ts';

/**
 * Graph-semantics cases ported from Open Chat Studio (dimagi/open-chat-studio, apps/pipelines/tests/), each named
 * after the test it came from. OCS's render_template nodes are our `template` kind; its code nodes become the
 * built-in kind doing the same thing. Where Parley deliberately differs (a join runs once with every input that
 * arrived, in edge order, instead of once per arriving branch), the test says so and asserts our rule.
 */

const router = (key: string, ports: string[], extra: Record<string, unknown> = {}) => ({
  source: 'run',
  key,
  rules: ports.map((port) => ({ port, operator: 'equals', value: port })),
  defaultPort: ports[0],
  ...extra,
});

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

describe('test_runnable_builder.py', () => {
  it('test_render_template', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['t', 'template', tpl('{{ input }} is cool')],
        ['end', 'end'],
      ],
      ['start - t', 't - end'],
    );
    expect((await runTest(definition, { input: 'Cycling' })).replies).toEqual(['Cycling is cool']);
  });

  it.each([
    ['hello', 'said hello'],
    ['bad', "didn't say hello, said bad"],
  ])('test_conditional_node (%s)', async (input, expected) => {
    const definition = pipeline(
      [
        ['start', 'start'],
        [
          'boolean',
          'static_router',
          { source: 'input', rules: [{ port: 'true', operator: 'equals', value: 'hello' }], defaultPort: 'false' },
        ],
        ['t_true', 'template', tpl('said hello')],
        ['t_false', 'template', tpl("didn't say hello, said {{ input }}")],
        ['end', 'end'],
      ],
      ['start - boolean', 'boolean:true - t_true', 'boolean:false - t_false', 't_false - end', 't_true - end'],
    );
    const { replies, run } = await runTest(definition, { input });
    expect(replies).toEqual([expected]);
    expect(run.trace.find((entry) => entry.nodeId === 'boolean')?.port).toBe(input === 'hello' ? 'true' : 'false');
  });

  it.each([
    ['Go to FIRST', 'A Go to FIRST'],
    ['Go to Second', 'B Go to Second'],
    ['Go to Third', 'A Go to Third'],
  ])(
    'test_static_router_temp_state (%s): routes on a run key another node set; default route',
    async (input, expected) => {
      const definition = pipeline(
        [
          ['start', 'start'],
          [
            'code',
            'static_router',
            {
              source: 'input',
              rules: [
                { port: 'first', operator: 'contains', value: 'go to first' },
                { port: 'second', operator: 'contains', value: 'go to second' },
              ],
              defaultPort: 'none',
            },
          ],
          ['set_first', 'set_state', { operations: [{ op: 'assign', scope: 'run', key: 'route_to', value: 'first' }] }],
          [
            'set_second',
            'set_state',
            { operations: [{ op: 'assign', scope: 'run', key: 'route_to', value: 'second' }] },
          ],
          ['router', 'static_router', router('route_to', ['first', 'second'])],
          ['a', 'template', tpl('A {{ input }}')],
          ['b', 'template', tpl('B {{ input }}')],
          ['end', 'end'],
        ],
        [
          'start - code',
          'code:first - set_first',
          'code:second - set_second',
          'code:none - router',
          'set_first - router',
          'set_second - router',
          'router:first - a',
          'router:second - b',
          'a - end',
          'b - end',
        ],
      );
      expect((await runTest(definition, { input })).replies).toEqual([expected]);
    },
  );

  it.each([
    ['SECOND', 'B'],
    ['second', 'B'],
    ['third', 'C'],
    ['THIRD', 'C'],
  ])('test_static_router_case_sensitive (%s): matching ignores case by default', async (value, expected) => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['router', 'static_router', { ...router('route_to', ['first', 'SECOND', 'third']), source: 'session' }],
        ['a', 'template', tpl('A')],
        ['b', 'template', tpl('B')],
        ['c', 'template', tpl('C')],
        ['end', 'end'],
      ],
      ['start - router', 'router:first - a', 'router:SECOND - b', 'router:third - c', 'a - end', 'b - end', 'c - end'],
    );
    expect((await runTest(definition, { session: { route_to: value } })).replies).toEqual([expected]);
  });

  it.each(['first', 'second'])('test_router_sets_tags_correctly (%s)', async (route) => {
    const definition = pipeline(
      [
        ['start', 'start'],
        [
          'router',
          'static_router',
          { ...router('route_to', ['first', 'second'], { tagRoute: true }), source: 'session' },
        ],
        ['a', 'template', tpl('A')],
        ['b', 'template', tpl('B')],
        ['end', 'end'],
      ],
      ['start - router', 'router:first - a', 'router:second - b', 'a - end', 'b - end'],
    );
    const { run } = await runTest(definition, { session: { route_to: route } });
    expect(run.tags).toEqual([{ nodeId: 'router', name: `router:${route}`, scope: 'reply' }]);
  });

  it.each([
    ['participant', { route_to: 'first' }, 'A Hi'],
    ['participant', { route_to: 'second' }, 'B Hi'],
    ['participant', {}, 'A Hi'],
    ['session', { route_to: 'first' }, 'A Hi'],
    ['session', { route_to: 'second' }, 'B Hi'],
    ['session', {}, 'A Hi'],
  ] as const)('test_static_router_participant_data (%s %j)', async (source, data, expected) => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['router', 'static_router', { ...router('route_to', ['first', 'second']), source }],
        ['a', 'template', tpl('A {{ input }}')],
        ['b', 'template', tpl('B {{ input }}')],
        ['end', 'end'],
      ],
      ['start - router', 'router:first - a', 'router:second - b', 'a - end', 'b - end'],
    );
    const { replies } = await runTest(definition, source === 'session' ? { session: data } : { participant: data });
    expect(replies).toEqual([expected]);
  });

  it('test_multiple_valid_inputs: end takes the input from the branch that ran', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        [
          'router',
          'static_router',
          {
            source: 'input',
            rules: [{ port: 'output_0', operator: 'equals', value: 'hello' }],
            defaultPort: 'output_1',
          },
        ],
        ['template', 'template', tpl('T: {{ input }}')],
        ['end', 'end'],
      ],
      ['start - router', 'router:output_1 - template', 'template - end', 'router:output_0 - end'],
    );
    expect((await runTest(definition, { input: 'not hello' })).replies).toEqual(['T: not hello']);
  });
});

describe('test_runnable_builder.py TestPipelineValidation', () => {
  const kinds = kindRegistry(abortKind);
  const codes = (nodes: [string, string][], edges: string[]) =>
    graphIssues(pipeline(nodes, edges), kinds).map((issue) => [issue.path, issue.code]);

  it('test_start_node_missing', () => {
    expect(
      codes(
        [
          ['t', 'reply'],
          ['end', 'end'],
        ],
        ['t - end'],
      ),
    ).toContainEqual(['nodes', 'start_count']);
  });
  it('test_end_node_missing', () => {
    expect(
      codes(
        [
          ['start', 'start'],
          ['t', 'reply'],
        ],
        ['start - t'],
      ),
    ).toContainEqual(['nodes', 'no_end']);
  });
  it('test_multiple_start_nodes', () => {
    const issues = codes(
      [
        ['start', 'start'],
        ['start2', 'start'],
        ['end', 'end'],
      ],
      ['start - end', 'start2 - end'],
    );
    expect(issues).toContainEqual(['nodes[1]', 'start_count']);
  });
  it('test_multiple_end_nodes: allowed in Parley (each branch may finish at its own end)', () => {
    const issues = codes(
      [
        ['start', 'start'],
        ['end', 'end'],
        ['end2', 'end'],
      ],
      ['start - end', 'start - end2'],
    );
    expect(issues).toEqual([]);
  });
  it('test_single_node_unreachable: refused in Parley (OCS drops it silently)', () => {
    const issues = codes(
      [
        ['start', 'start'],
        ['p', 'reply'],
        ['end', 'end'],
        ['lost', 'reply'],
      ],
      ['start - p', 'p - end'],
    );
    expect(issues).toEqual([['nodes[3]', 'unreachable']]);
  });
  it('test_subgraph_unreachable_should_build: refused in Parley, naming every unreachable node', () => {
    const issues = codes(
      [
        ['start', 'start'],
        ['p', 'reply'],
        ['end', 'end'],
        ['p2', 'reply'],
        ['p3', 'reply'],
        ['p4', 'reply'],
      ],
      ['start - p', 'p - end', 'p2 - p3', 'p3 - p4'],
    );
    expect(issues).toEqual([
      ['nodes[3]', 'unreachable'],
      ['nodes[4]', 'unreachable'],
      ['nodes[5]', 'unreachable'],
    ]);
  });
  it('test_split_graphs_should_not_build: the end node is not reachable from start', () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['p1', 'reply'],
        ['p2', 'reply'],
        ['end', 'end'],
      ],
      ['start - p1', 'p2 - end'],
    );
    const issues = graphIssues(definition, kinds);
    expect(issues).toContainEqual({
      path: 'nodes[3]',
      code: 'unreachable',
      message: 'end node "end" cannot be reached from start',
    });
  });
  it('test_cyclical_graph: the edge closing the cycle is named', () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['p1', 'reply'],
        ['p2', 'reply'],
        ['end', 'end'],
      ],
      ['start - p1', 'p1 - p2', 'p2 - p1', 'p2 - end'],
    );
    expect(graphIssues(definition, kinds)).toEqual([
      { path: 'edges[2]', code: 'cycle', message: 'this edge closes a cycle: p1 → p2 → p1' },
    ]);
  });
});

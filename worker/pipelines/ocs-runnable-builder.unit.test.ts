import { describe, expect, it } from 'vitest';
import { kindRegistry } from './kinds.ts';
import { abortKind, pipeline, keyRouter as router, runTest, tpl } from './testing.ts';
import { graphIssues } from './validate.ts';

/**
 * Graph-semantics cases ported from Open Chat Studio (dimagi/open-chat-studio, apps/pipelines/tests/), each named
 * after the test it came from. OCS's render_template nodes are our `template` kind; its code nodes become the
 * built-in kind doing the same thing. Where Parley deliberately differs (a join runs once with every input that
 * arrived, in edge order, instead of once per arriving branch), the test says so and asserts our rule.
 */

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

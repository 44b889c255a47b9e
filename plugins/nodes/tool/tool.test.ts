import { describe, expect, it } from 'vitest';
import { runNodeContract } from '../../sdk/contracts/node.contract.ts';
import type { NodeToolRequest, NodeToolResult } from '../../sdk/index.ts';
import { fakeNodeServices, runNodeKind } from '../../sdk/testing/node-harness.ts';
import { toolKind, toolNode } from './index.ts';

/** A calculator-like host: answers `{ value: <expression> }` for each call. */
const echoTools = (request: NodeToolRequest): NodeToolResult => {
  const result = { tool: request.tool, args: request.arguments };
  return { function: request.function ?? 'calculate', ok: true, result, output: JSON.stringify(result) };
};

runNodeContract(toolNode, {
  examples: [
    {
      settings: { tool: 'builtin:calculator', arguments: { expression: '{{ input }} * 2' } },
      input: '21',
      services: () => fakeNodeServices({ tools: echoTools }),
    },
    {
      settings: { tool: 'mcp:mcp_x/echo', arguments: { text: 'hi {{ session_state.name }}', n: 3 }, outputKey: 'r' },
      services: () => fakeNodeServices({ tools: echoTools }),
    },
  ],
  invalidSettings: [
    { settings: { arguments: {} }, why: 'no tool' },
    { settings: { tool: '' }, why: 'an empty tool id' },
    { settings: { tool: 'builtin:calculator', function: 'two words' }, why: 'a function name with a space' },
    { settings: { tool: 'x', arguments: { a: '{% if %}' } }, why: 'a template that does not parse' },
    { settings: { tool: 'x', arguments: { a: 'x'.repeat(8_001) } }, why: 'a template over 8,000 characters' },
    {
      settings: { tool: 'x', arguments: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`a${i}`, i])) },
      why: 'more than 50 arguments',
    },
    { settings: { tool: 'x', outputKey: 'a key' }, why: 'a state key with a space' },
    { settings: { tool: 'x', extra: 1 }, why: 'unknown settings' },
  ],
});

describe('tool node', () => {
  it('renders string arguments as templates, passes other values as written, and outputs the result', async () => {
    const services = fakeNodeServices({ tools: echoTools });
    const result = await runNodeKind(toolKind, {
      settings: {
        tool: 'builtin:session_state',
        function: 'get_session_state',
        arguments: { expression: '{{ input }}+{{ temp_state.x }}|{{ participant_data.name }}', n: 2, flags: [true] },
        outputKey: 'answer',
      },
      input: '40',
      state: { run: { x: 2 }, participant: { name: 'Ada' } },
      services,
    });
    const expected = { tool: 'builtin:session_state', args: { expression: '40+2|Ada', n: 2, flags: [true] } };
    expect(result.output).toEqual(expected);
    expect(result.writes).toEqual([{ scope: 'run', key: 'answer', op: 'set', value: expected }]);
    expect(services.toolRequests).toHaveLength(1);
    expect(services.toolRequests[0]).toMatchObject({ tool: 'builtin:session_state', function: 'get_session_state' });
    // The node's state reaches the host, so built-in session-state tools write through the node.
    expect(services.toolRequests[0]?.turnHooks).toBeDefined();
  });

  it('fails with the tool’s error, retryable only for a timeout', async () => {
    const failing = (message: string) =>
      fakeNodeServices({
        tools: () => ({ function: 'fail', ok: false, result: { error: message }, output: '' }),
      });
    const settings = { tool: 'mcp:m/fail' };
    await expect(
      runNodeKind(toolKind, { settings, services: failing('the database is on fire') }),
    ).rejects.toMatchObject({ name: 'NodeError', retryable: false, message: 'fail: the database is on fire' });
    await expect(runNodeKind(toolKind, { settings, services: failing('tool timed out') })).rejects.toMatchObject({
      retryable: true,
    });
  });

  it('names the argument whose template fails', async () => {
    await expect(
      runNodeKind(toolKind, {
        settings: { tool: 'x', arguments: { bad: '{{ nothing + 1 }}' } },
        services: fakeNodeServices({ tools: echoTools }),
      }),
    ).rejects.toMatchObject({ name: 'NodeError', message: expect.stringContaining('arguments.bad:') });
  });
});

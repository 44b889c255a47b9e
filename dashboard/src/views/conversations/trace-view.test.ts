import { describe, expect, it } from 'vitest';
import type { MessageTrace } from '../../../../worker/conversations/trace-schemas.ts';
import { preview, toolLine, traceRows } from './trace-view';

const run: MessageTrace = {
  messageId: 'msg_1',
  runId: 'run_1',
  status: 'failed',
  startedAt: 1000,
  finishedAt: 1500,
  path: ['start', 'router'],
  trace: [
    {
      nodeId: 'start',
      kind: 'start',
      status: 'completed',
      superstep: 0,
      attempts: 1,
      startedAt: 1000,
      durationMs: 1,
      output: 'hi',
    },
    {
      nodeId: 'router',
      kind: 'llm_router',
      status: 'completed',
      superstep: 1,
      attempts: 1,
      startedAt: 1001,
      durationMs: 120,
      port: 'billing',
      tokens: { inputTokens: 40, outputTokens: 2 },
      output: { route: 'billing' },
    },
    { nodeId: 'support', kind: 'llm', status: 'skipped', superstep: 2, attempts: 0, durationMs: 0 },
    {
      nodeId: 'billing',
      kind: 'http_request',
      status: 'failed',
      superstep: 2,
      attempts: 1,
      startedAt: 1100,
      durationMs: 300,
      error: 'timeout',
    },
    {
      nodeId: 'billing',
      kind: 'http_request',
      status: 'failed',
      superstep: 2,
      attempts: 3,
      startedAt: 1100,
      durationMs: 390,
      error: 'HTTP 502',
    },
  ],
  error: { nodeId: 'billing', code: 'node_failed', message: 'HTTP 502' },
};

describe('traceRows', () => {
  it('lists the path first, then the nodes off it, each once with its last attempt, and marks the failing node', () => {
    const rows = traceRows(run);
    expect(rows.map((row) => [row.nodeId, row.status, row.failing])).toEqual([
      ['start', 'completed', false],
      ['router', 'completed', false],
      ['support', 'skipped', false],
      ['billing', 'failed', true],
    ]);
    expect(rows[1]).toMatchObject({ port: 'billing', tokens: '40 in / 2 out', output: '{"route":"billing"}' });
    expect(rows[3]).toMatchObject({ attempts: 3, error: 'HTTP 502', durationMs: 390 });
  });

  it("keeps each tool call's arguments and result beside its line, to expand", () => {
    const call = {
      id: 'calc-1',
      name: 'calculate',
      arguments: '{"expression":"2+2"}',
      ok: true,
      output: '{"result":4}',
    };
    const start = run.trace[0];
    if (!start) throw new Error('fixture has no start');
    const withTool: MessageTrace = {
      ...run,
      path: ['start', 'calc'],
      trace: [start, { ...start, nodeId: 'calc', kind: 'tool', superstep: 1, output: { result: 4 }, tools: [call] }],
    };
    expect(traceRows(withTool)[1]?.tools).toEqual([
      { line: 'calculate ok → {"result":4}', arguments: '{"expression":"2+2"}', output: '{"result":4}' },
    ]);
  });
});

describe('toolLine', () => {
  it('shows a tool call with its outcome, how its approval went, and the start of its result', () => {
    const call = { id: 'c1', name: 'current_time', arguments: '{}', ok: true, output: '{"time":"12:00"}' };
    expect(toolLine(call)).toBe('current_time ok → {"time":"12:00"}');
    const denied = { ...call, ok: false, output: '{"error":"denied"}', approval: { decision: 'denied', by: 'user' } };
    expect(toolLine(denied as Parameters<typeof toolLine>[0])).toBe(
      'current_time failed (denied by user) → {"error":"denied"}',
    );
  });
});

describe('preview', () => {
  it('shows text as is, JSON compactly, truncated values by their preview, and cuts long ones', () => {
    expect(preview('Hello')).toBe('Hello');
    expect(preview({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(preview({ truncated: true, bytes: 90000, preview: '{"big"' })).toBe('{"big"… (90000 bytes)');
    expect(preview('x'.repeat(500))).toHaveLength(160);
    expect(preview(undefined)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { isNodeEvent, type NodeProgress, nodeProgress, progressLine } from './node-progress';

const base = { runId: 'run_1', kind: 'llm' };

describe('nodeProgress', () => {
  it('keeps one line per node in first-seen order, updated by each event', () => {
    let list: NodeProgress[] = [];
    list = nodeProgress(list, { type: 'node.started', ...base, nodeId: 'router', kind: 'llm_router', attempt: 1 });
    list = nodeProgress(list, { type: 'node.skipped', ...base, nodeId: 'other' });
    list = nodeProgress(list, {
      type: 'node.completed',
      ...base,
      nodeId: 'router',
      kind: 'llm_router',
      attempt: 1,
      durationMs: 120.4,
      port: 'billing',
    });
    list = nodeProgress(list, { type: 'node.started', ...base, nodeId: 'http', kind: 'http_request', attempt: 1 });
    list = nodeProgress(list, {
      type: 'node.failed',
      ...base,
      nodeId: 'http',
      kind: 'http_request',
      attempt: 1,
      durationMs: 30,
      error: 'HTTP 502',
      willRetry: true,
    });
    expect(list.map(progressLine)).toEqual([
      'router (llm_router) ✓ 120 ms → billing',
      'other (llm) –',
      'http (http_request) ↻ 30 ms: HTTP 502',
    ]);
    list = nodeProgress(list, { type: 'node.started', ...base, nodeId: 'http', kind: 'http_request', attempt: 2 });
    list = nodeProgress(list, {
      type: 'node.failed',
      ...base,
      nodeId: 'http',
      kind: 'http_request',
      attempt: 2,
      durationMs: 31,
      error: 'HTTP 502',
      willRetry: false,
    });
    expect(progressLine(list[2] as NodeProgress)).toBe('http (http_request) ✗ 31 ms attempt 2: HTTP 502');
  });

  it('recognises node events among the stream frames', () => {
    expect(isNodeEvent({ type: 'node.started' })).toBe(true);
    expect(isNodeEvent({ type: 'delta' })).toBe(false);
    expect(isNodeEvent({})).toBe(false);
  });
});

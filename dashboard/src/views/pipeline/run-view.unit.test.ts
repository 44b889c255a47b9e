import { describe, expect, it } from 'vitest';
import { applyRunEvent } from './run-view';

describe('test run on the canvas', () => {
  it('lights nodes as their events arrive; a retried failure stays running', () => {
    let run = applyRunEvent(new Map(), { type: 'node.started', runId: 'r', nodeId: 'llm', kind: 'llm', attempt: 1 });
    expect(run.get('llm')).toBe('running');
    run = applyRunEvent(run, {
      type: 'node.failed',
      runId: 'r',
      nodeId: 'llm',
      kind: 'llm',
      attempt: 1,
      durationMs: 5,
      error: 'boom',
      willRetry: true,
    });
    expect(run.get('llm')).toBe('running');
    run = applyRunEvent(run, {
      type: 'node.failed',
      runId: 'r',
      nodeId: 'llm',
      kind: 'llm',
      attempt: 2,
      durationMs: 5,
      error: 'boom',
      willRetry: false,
    });
    expect(run.get('llm')).toBe('failed');
    const before = run;
    run = applyRunEvent(run, { type: 'node.skipped', runId: 'r', nodeId: 'reply', kind: 'reply' });
    expect(run.get('reply')).toBe('skipped');
    expect(before.has('reply')).toBe(false);
  });
});

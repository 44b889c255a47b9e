import { describe, expect, it } from 'vitest';
import { FakeClock, pipeline, runTest, tpl } from './testing.ts';

const work = (settings: Record<string, unknown> = {}) => settings;

describe('scheduling', () => {
  it('runs a linear pipeline, emitting started/completed events with durations and a trace per node', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['slow', 'work', work({ delayMs: 250, text: 'done', tokens: 7 })],
        ['end', 'end'],
      ],
      ['start - slow', 'slow - end'],
    );
    const { run, events, replies } = await runTest(definition);
    expect(run.status).toBe('completed');
    expect(replies).toEqual(['done']);
    expect(run.path).toEqual(['start', 'slow', 'end']);
    expect(events.map((event) => `${event.type}:${event.nodeId}`)).toEqual([
      'node.started:start',
      'node.completed:start',
      'node.started:slow',
      'node.completed:slow',
      'node.started:end',
      'node.completed:end',
    ]);
    expect(events[3]).toMatchObject({ type: 'node.completed', nodeId: 'slow', durationMs: 250, attempt: 1 });
    const slow = run.trace.find((entry) => entry.nodeId === 'slow');
    expect(slow).toMatchObject({
      status: 'completed',
      superstep: 1,
      attempts: 1,
      durationMs: 250,
      input: [{ from: 'start', port: 'out', value: 'Hi' }],
      output: 'done',
      tokens: { inputTokens: 7, outputTokens: 1 },
    });
    expect(run.finishedAt).not.toBeNull();
  });

  it('runs parallel branches concurrently and hands a join its inputs in edge order, not completion order', async () => {
    const clock = new FakeClock();
    const startedAt = clock.time;
    const definition = pipeline(
      [
        ['start', 'start'],
        ['fast', 'work', work({ delayMs: 10, text: 'fast' })],
        ['slow', 'work', work({ delayMs: 30, text: 'slow' })],
        ['join', 'template', tpl("{{ node_inputs | join('+') }}")],
        ['end', 'end'],
      ],
      ['start - fast', 'start - slow', 'slow - join', 'fast - join', 'join - end'],
    );
    const { replies, run } = await runTest(definition, { clock });
    // 30 ms, not 40: both branches ran at once. `slow` finished last but its edge is listed first.
    expect(clock.time - startedAt).toBe(30);
    expect(replies).toEqual(['slow+fast']);
    expect(run.path).toEqual(['start', 'fast', 'slow', 'join', 'end']);
  });

  it('runs at most `concurrency` nodes of a superstep at once', async () => {
    const clock = new FakeClock();
    const startedAt = clock.time;
    const branches = ['a', 'b', 'c', 'd', 'e', 'f'];
    const definition = pipeline(
      [
        ['start', 'start'],
        ...branches.map((id) => [id, 'work', work({ delayMs: 10 })] as [string, string, Record<string, unknown>]),
        ['end', 'end'],
      ],
      [...branches.map((id) => `start - ${id}`), ...branches.map((id) => `${id} - end`)],
    );
    await runTest(definition, { clock, bounds: { concurrency: 4 } });
    expect(clock.time - startedAt).toBe(20);
  });

  it('skips every node of a branch not taken, down to (but not including) a join that still gets input', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        [
          'router',
          'static_router',
          { source: 'input', rules: [{ port: 'yes', operator: 'equals', value: 'go' }], defaultPort: 'no' },
        ],
        ['y1', 'work', work({ text: 'y1' })],
        ['y2', 'work', work({ text: 'y2' })],
        ['n1', 'work', work({ text: 'n1' })],
        ['end', 'end'],
      ],
      ['start - router', 'router:yes - y1', 'y1 - y2', 'router:no - n1', 'y2 - end', 'n1 - end'],
    );
    const { run, events, replies } = await runTest(definition, { input: 'stop' });
    expect(replies).toEqual(['n1']);
    expect(run.nodes.y1).toEqual({ status: 'skipped' });
    expect(run.nodes.y2).toEqual({ status: 'skipped' });
    expect(events.filter((event) => event.type === 'node.skipped').map((event) => event.nodeId)).toEqual(['y1', 'y2']);
    expect(run.trace.filter((entry) => entry.status === 'skipped').map((entry) => entry.nodeId)).toEqual(['y1', 'y2']);
  });

  it('skips a join whose every input was skipped', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        [
          'router',
          'static_router',
          { source: 'input', rules: [{ port: 'a', operator: 'equals', value: 'a' }], defaultPort: 'b' },
        ],
        ['a1', 'work'],
        ['a2', 'work'],
        ['join', 'work'],
        ['b1', 'work'],
        ['end', 'end'],
      ],
      [
        'start - router',
        'router:a - a1',
        'router:a - a2',
        'a1 - join',
        'a2 - join',
        'join - end',
        'router:b - b1',
        'b1 - end',
      ],
    );
    const { run } = await runTest(definition, { input: 'b' });
    expect(run.nodes.join).toEqual({ status: 'skipped' });
    expect(run.status).toBe('completed');
  });
});

describe('failures, retries, timeouts and bounds', () => {
  it('retries a failing node with doubling backoff on the injected clock', async () => {
    const clock = new FakeClock();
    const startedAt = clock.time;
    const definition = pipeline(
      [
        ['start', 'start'],
        ['flaky', 'work', work({ failTimes: 2, text: 'ok' })],
        ['end', 'end'],
      ],
      ['start - flaky', 'flaky - end'],
    );
    definition.nodes[1] = {
      ...definition.nodes[1],
      id: 'flaky',
      kind: 'work',
      settings: { failTimes: 2, text: 'ok' },
      retry: { attempts: 3, backoffMs: 100 },
    };
    const { run, events, replies } = await runTest(definition, { clock });
    expect(replies).toEqual(['ok']);
    expect(clock.time - startedAt).toBe(300); // 100 ms, then 200 ms
    const failed = events.filter((event) => event.type === 'node.failed');
    expect(failed).toMatchObject([
      { nodeId: 'flaky', attempt: 1, error: 'failure 1', willRetry: true },
      { nodeId: 'flaky', attempt: 2, error: 'failure 2', willRetry: true },
    ]);
    expect(run.trace.find((entry) => entry.nodeId === 'flaky')).toMatchObject({ attempts: 3, status: 'completed' });
  });

  it('ends the run with an error naming the node once its attempts are spent, and runs nothing after it', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['broken', 'work', work({ failTimes: 9 })],
        ['after', 'work'],
        ['end', 'end'],
      ],
      ['start - broken', 'broken - after', 'after - end'],
    );
    definition.nodes[1] = {
      id: 'broken',
      kind: 'work',
      settings: { failTimes: 9 },
      retry: { attempts: 2, backoffMs: 0 },
    };
    const { run } = await runTest(definition);
    expect(run.status).toBe('failed');
    expect(run.error).toEqual({ nodeId: 'broken', code: 'node_failed', message: 'failure 2' });
    expect(run.nodes.after).toBeUndefined();
    expect(run.trace.find((entry) => entry.nodeId === 'broken')).toMatchObject({
      status: 'failed',
      attempts: 2,
      error: 'failure 2',
    });
  });

  it('does not retry an error marked not retryable', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['broken', 'work'],
        ['end', 'end'],
      ],
      ['start - broken', 'broken - end'],
    );
    definition.nodes[1] = {
      id: 'broken',
      kind: 'work',
      settings: { failTimes: 1, fatal: true },
      retry: { attempts: 3, backoffMs: 10 },
    };
    const { run, events } = await runTest(definition);
    expect(run.error?.nodeId).toBe('broken');
    expect(events.filter((event) => event.type === 'node.started' && event.nodeId === 'broken')).toHaveLength(1);
  });

  it("stops the rest of a superstep when one node fails, and applies none of that step's writes", async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['broken', 'work', work({ delayMs: 5, failTimes: 1 })],
        ['writer', 'work', work({ set: { written: true } })],
        ['long', 'work', work({ delayMs: 10_000 })],
        ['end', 'end'],
      ],
      ['start - broken', 'start - writer', 'start - long', 'broken - end', 'writer - end', 'long - end'],
    );
    const clock = new FakeClock();
    const startedAt = clock.time;
    const { run, events } = await runTest(definition, { clock });
    expect(run.error).toMatchObject({ nodeId: 'broken', message: 'failure 1' });
    expect(clock.time - startedAt).toBe(5);
    expect(run.trace.find((entry) => entry.nodeId === 'long')?.status).toBe('cancelled');
    expect(events.filter((event) => event.nodeId === 'long').map((event) => event.type)).toEqual([
      'node.started',
      'node.failed',
    ]);
    expect(run.state.session).toEqual({});
  });

  it('times a node out, naming it; a retry after a timeout may succeed', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['stuck', 'work', work({ hang: true })],
        ['end', 'end'],
      ],
      ['start - stuck', 'stuck - end'],
    );
    definition.nodes[1] = { id: 'stuck', kind: 'work', settings: { hang: true }, timeoutMs: 500 };
    const clock = new FakeClock();
    const startedAt = clock.time;
    const { run } = await runTest(definition, { clock });
    expect(run.error).toEqual({ nodeId: 'stuck', code: 'timeout', message: 'timed out after 500 ms' });
    expect(clock.time - startedAt).toBe(500);

    definition.nodes[1] = {
      id: 'stuck',
      kind: 'work',
      settings: { hangTimes: 1, text: 'second try' },
      timeoutMs: 600,
      retry: { attempts: 2, backoffMs: 0 },
    };
    const retried = await runTest(definition);
    expect(retried.replies).toEqual(['second try']);
    expect(retried.events.find((event) => event.type === 'node.failed')).toMatchObject({
      error: 'timed out after 600 ms',
      willRetry: true,
    });
  });

  it('bounds the node executions of a run, naming the first node over the bound', async () => {
    const chain = ['a', 'b', 'c', 'd'];
    const definition = pipeline(
      [['start', 'start'], ...chain.map((id) => [id, 'work'] as [string, string]), ['end', 'end']],
      ['start - a', 'a - b', 'b - c', 'c - d', 'd - end'],
    );
    const { run } = await runTest(definition, { bounds: { maxNodeRuns: 3 } });
    expect(run.error).toEqual({
      nodeId: 'c',
      code: 'node_runs_exceeded',
      message: 'the run may execute at most 3 nodes',
    });
    expect(run.path).toEqual(['start', 'a', 'b']);
  });

  it('bounds the wall time of a run (the definition limit applies; node timeouts shrink to fit it)', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['a', 'work', work({ delayMs: 800 })],
        ['b', 'work', work({ delayMs: 800 })],
        ['end', 'end'],
      ],
      ['start - a', 'a - b', 'b - end'],
      { limits: { maxWallMs: 1_000 } },
    );
    const clock = new FakeClock();
    const startedAt = clock.time;
    const { run } = await runTest(definition, { clock });
    expect(run.error).toEqual({
      nodeId: null,
      code: 'wall_time_exceeded',
      message: 'the run took longer than 1000 ms',
    });
    expect(clock.time - startedAt).toBe(1_000);
  });

  it('cancels through the AbortSignal: the node in flight stops and nothing after it runs', async () => {
    const controller = new AbortController();
    const clock = new FakeClock();
    const definition = pipeline(
      [
        ['start', 'start'],
        ['slow', 'work', work({ delayMs: 1_000 })],
        ['after', 'work'],
        ['end', 'end'],
      ],
      ['start - slow', 'slow - after', 'after - end'],
    );
    clock.sleep(100).then(() => controller.abort(new Error('user pressed stop')));
    const { run } = await runTest(definition, { clock, signal: controller.signal });
    expect(run.status).toBe('cancelled');
    expect(run.error).toEqual({ nodeId: null, code: 'cancelled', message: 'the run was cancelled' });
    expect(run.nodes.after).toBeUndefined();
    expect(run.trace.find((entry) => entry.nodeId === 'slow')?.status).toBe('cancelled');
  });
});

describe('trace', () => {
  it('bounds each input and output to traceBytes with a truncation marker', async () => {
    const big = 'é'.repeat(3_000); // 6,000 bytes of UTF-8
    const definition = pipeline(
      [
        ['start', 'start'],
        ['big', 'work', work({ text: big })],
        ['end', 'end'],
      ],
      ['start - big', 'big - end'],
    );
    const { run } = await runTest(definition, { bounds: { traceBytes: 1_001 } });
    const output = run.trace.find((entry) => entry.nodeId === 'big')?.output;
    expect(output).toMatchObject({ truncated: true, bytes: 6_002 });
    const preview = (output as { preview: string }).preview;
    expect(preview.startsWith('"éé')).toBe(true);
    expect(new TextEncoder().encode(preview).length).toBeLessThanOrEqual(1_001);
    // The run itself keeps the whole value.
    expect(run.replies[0]?.text).toBe(big);
  });
});

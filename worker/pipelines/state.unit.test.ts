import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_PORT, defineNodeKind, type JsonValue } from './node-kind.ts';
import type { RunCheckpoint } from './run-record.ts';
import { applyWrite, NodeEffects } from './run-state.ts';
import { FakeClock, pipeline, runTest } from './testing.ts';

const setState = (...operations: Record<string, unknown>[]) => ({ operations });

describe('merge rules for parallel branches', () => {
  const parallel = (left: Record<string, unknown>, right: Record<string, unknown>, delays = [30, 10]) =>
    pipeline(
      [
        ['start', 'start'],
        ['left', 'work', { ...left, delayMs: delays[0] }],
        ['right', 'work', { ...right, delayMs: delays[1] }],
        ['end', 'end', { reply: false }],
      ],
      ['start - left', 'start - right', 'left - end', 'right - end'],
    );

  it('set: the node later in definition order wins, whichever finished last; the conflict is traced', async () => {
    const { run } = await runTest(parallel({ set: { color: 'red' } }, { set: { color: 'blue' } }));
    expect(run.state.session.color).toBe('blue');
    expect(run.conflicts).toEqual([{ scope: 'session', key: 'color', nodes: ['left', 'right'], superstep: 1 }]);
    const swapped = await runTest(parallel({ set: { color: 'red' } }, { set: { color: 'blue' } }, [10, 30]));
    expect(swapped.run.state.session.color).toBe('blue');
  });

  it('append: both values, earlier node first', async () => {
    const { run } = await runTest(parallel({ append: { log: 'left' } }, { append: { log: 'right' } }), {
      session: { log: ['before'] },
    });
    expect(run.state.session.log).toEqual(['before', 'left', 'right']);
    expect(run.conflicts).toEqual([]);
  });

  it('increment: both amounts add up (set_state nodes in parallel)', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['one', 'set_state', setState({ op: 'increment', scope: 'participant', key: 'visits' })],
        ['two', 'set_state', setState({ op: 'increment', scope: 'participant', key: 'visits', by: 2 })],
        ['end', 'end'],
      ],
      ['start - one', 'start - two', 'one - end', 'two - end'],
    );
    const { run } = await runTest(definition, { participant: { visits: 1 } });
    expect(run.state.participant.visits).toBe(4);
    // The host commits these, not the merged value: two conversations of one participant both count.
    expect(run.participantWrites).toEqual([
      { scope: 'participant', key: 'visits', op: 'increment', by: 1 },
      { scope: 'participant', key: 'visits', op: 'increment', by: 2 },
    ]);
  });

  it('a node reads the state as of its superstep plus its own writes; later steps see earlier writes', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['write', 'set_state', setState({ op: 'assign', scope: 'run', key: 'k', value: 'new' })],
        ['same_step', 'template', { template: '{{ temp_state.k }}' }],
        ['next_step', 'template', { template: '{{ temp_state.k }}' }],
        ['end', 'end', { reply: false }],
      ],
      ['start - write', 'start - same_step', 'write - next_step', 'same_step - end', 'next_step - end'],
    );
    const { output, run } = await runTest(definition);
    expect(output('same_step')).toBe('');
    expect(output('next_step')).toBe('new');
    expect(run.state.run).toEqual({ k: 'new' });
  });

  it('replies arrive in superstep order, then definition order; tags are de-duplicated; end conversation keeps the first', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['second', 'reply', { text: 'second' }],
        ['first', 'reply', { text: 'first' }],
        ['bye', 'end_conversation', { reason: 'done' }],
        ['bye2', 'end_conversation', { reason: 'also done' }],
        [
          'tag1',
          'static_router',
          { source: 'input', rules: [{ port: 'x', operator: 'exists' }], defaultPort: 'x', tagRoute: true },
        ],
        [
          'tag2',
          'static_router',
          { source: 'input', rules: [{ port: 'x', operator: 'exists' }], defaultPort: 'x', tagRoute: true },
        ],
        ['end', 'end', { reply: false }],
      ],
      [
        'start - second',
        'start - first',
        'start - bye',
        'start - bye2',
        'start - tag1',
        'tag1:x - tag2',
        'second - end',
        'first - end',
        'bye - end',
        'bye2 - end',
        'tag2:x - end',
      ],
    );
    const { run, replies } = await runTest(definition);
    expect(replies).toEqual(['second', 'first']);
    expect(run.endConversation).toEqual({ nodeId: 'bye', reason: 'done' });
    expect(run.tags).toEqual([
      { nodeId: 'tag1', name: 'tag1:x', scope: 'reply' },
      { nodeId: 'tag2', name: 'tag2:x', scope: 'reply' },
    ]);
  });

  it('keeps at most 20 tags per scope, first writers first', async () => {
    const many = Array.from({ length: 25 }, (_, i) => `t${i}`);
    const tagger = defineNodeKind({
      id: 'tagger',
      displayName: 'Tagger (test)',
      description: 'test',
      settings: z.strictObject({}),
      inputs: 'any',
      output: 'undefined, stored as null',
      acceptsInput: true,
      ports: () => [DEFAULT_PORT],
      routes: false,
      run: (ctx) => {
        for (const name of many) ctx.tag(name, 'conversation');
        return undefined as unknown as null;
      },
    });
    const definition = pipeline(
      [
        ['start', 'start'],
        ['tags', 'tagger'],
        ['end', 'end'],
      ],
      ['start - tags', 'tags - end'],
    );
    const { run, output } = await runTest(definition, { kinds: [tagger] });
    expect(run.tags.map((tag) => tag.name)).toEqual(many.slice(0, 20));
    expect(output('tags')).toBeNull();
  });

  it('refuses a run that grows session state past its row budget, naming the node that wrote it', async () => {
    const definition = pipeline(
      [
        ['start', 'start'],
        ['huge', 'set_state', setState({ op: 'assign', scope: 'session', key: 'blob', value: 'x'.repeat(300_000) })],
        ['end', 'end'],
      ],
      ['start - huge', 'huge - end'],
    );
    const { run } = await runTest(definition);
    expect(run.error).toMatchObject({ nodeId: 'huge', code: 'invalid_state' });
  });
});

describe('state operations', () => {
  it('applyWrite: append to a missing key, to a list and to a scalar; increment a non-number fails', () => {
    const state: Record<string, JsonValue> = {};
    applyWrite(state, { scope: 'run', key: 'a', op: 'append', value: 1 });
    applyWrite(state, { scope: 'run', key: 'a', op: 'append', value: 2 });
    state.s = 'x';
    applyWrite(state, { scope: 'run', key: 's', op: 'append', value: 'y' });
    expect(state).toEqual({ a: [1, 2], s: ['x', 'y'] });
    expect(applyWrite(state, { scope: 'run', key: 's', op: 'increment', by: 1 })).toBe('run.s is not a number');
    applyWrite(state, { scope: 'run', key: 'a', op: 'delete' });
    expect(state).toEqual({ s: ['x', 'y'] });
  });

  it('NodeEffects: read-your-writes without touching the shared state; closed effects refuse writes', () => {
    const base = { run: {}, session: { n: 1 }, participant: {} };
    const effects = new NodeEffects(base);
    effects.increment('session', 'n', 2);
    expect(effects.get('session', 'n')).toBe(3);
    expect(base.session.n).toBe(1);
    expect(() => effects.increment('session', 'missing', Number.NaN)).toThrow('finite');
    effects.closed = true;
    expect(() => effects.set('run', 'late', 1)).toThrow('after it finished');
  });

  it('NodeEffects: tags follow the tags API rule (1–50 letters, digits, spaces and - _ : .)', () => {
    const effects = new NodeEffects({ run: {}, session: {}, participant: {} });
    effects.tag('lang:fr', 'conversation');
    for (const bad of ['', ' padded', 'x'.repeat(51), 'no<html>'])
      expect(() => effects.tag(bad, 'reply')).toThrow('letters, digits, spaces');
    expect(effects.tags).toEqual([{ name: 'lang:fr', scope: 'conversation' }]);
  });
});

describe('checkpoints and resume', () => {
  const definition = pipeline(
    [
      ['start', 'start'],
      ['a', 'work', { delayMs: 10, text: 'A', set: { a: 1 } }],
      ['b', 'work', { delayMs: 10, append: { log: 'b' } }],
      ['c', 'template', { template: '{{ input }}+{{ session_state.a }}' }],
      ['end', 'end'],
    ],
    ['start - a', 'a - b', 'b - c', 'c - end'],
  );

  it('writes a JSON checkpoint after every barrier', async () => {
    const { checkpoints, run } = await runTest(definition);
    // One per superstep, then the finished run.
    expect(checkpoints.map((checkpoint) => checkpoint.path.at(-1))).toEqual(['start', 'a', 'b', 'c', 'end', 'end']);
    expect(checkpoints.map((checkpoint) => checkpoint.status)).toEqual([...Array(5).fill('running'), 'completed']);
    expect(checkpoints.at(-1)).toEqual(run);
    for (const checkpoint of checkpoints) expect(JSON.parse(JSON.stringify(checkpoint))).toEqual(checkpoint);
  });

  it('resumes from any checkpoint (as after eviction) to the same result, without re-running finished nodes', async () => {
    const whole = await runTest(definition, { session: { log: [] } });
    for (const [index, checkpoint] of whole.checkpoints.slice(0, -1).entries()) {
      const stored = JSON.parse(JSON.stringify(checkpoint)) as RunCheckpoint;
      // `input` and `session` are ignored on resume: the checkpoint has them.
      const { run, events } = await runTest(definition, { resumeFrom: stored, input: 'ignored', session: {} });
      const started = events.flatMap((event) => (event.type === 'node.started' ? [event.nodeId] : []));
      expect(started).toEqual(whole.run.path.slice(index + 1));
      expect(run.replies).toEqual(whole.run.replies);
      expect(run.state).toEqual(whole.run.state);
      expect(run.path).toEqual(whole.run.path);
      expect(run.status).toBe('completed');
    }
    expect(whole.replies).toEqual(['A+1']);
    expect(whole.run.state.session).toEqual({ a: 1, log: ['b'] });
  });

  it('closes a resumed run whose wall time ran out while it was evicted', async () => {
    const whole = await runTest(definition);
    const clock = new FakeClock();
    clock.time = (whole.checkpoints[1]?.startedAt ?? 0) + 200_000;
    const { run } = await runTest(definition, { clock, resumeFrom: whole.checkpoints[1] });
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('wall_time_exceeded');
  });

  it('returns a finished checkpoint unchanged', async () => {
    const whole = await runTest(definition);
    const again = await runTest(definition, { resumeFrom: whole.run });
    expect(again.run).toEqual(whole.run);
    expect(again.events).toEqual([]);
  });
});

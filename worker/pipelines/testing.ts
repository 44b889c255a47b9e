import { z } from 'zod';
import { compilePipeline } from './compile.ts';
import type { PipelineDefinition } from './definition.ts';
import { type RunPipelineInput, runPipeline } from './engine.ts';
import { kindRegistry } from './kinds.ts';
import { DEFAULT_PORT, defineNodeKind, NodeError, type NodeKind } from './node-kind.ts';
import type { EngineClock } from './node-runner.ts';
import type { PipelineEvent, RunCheckpoint } from './run-record.ts';

/** Test helpers for the engine (used by tests only). */

/** Virtual time: `run()` jumps to the next pending sleep whenever everything else is waiting, so nothing waits for real. */
export class FakeClock implements EngineClock {
  time = 1_700_000_000_000;
  private sleepers: { at: number; order: number; resolve(): void }[] = [];
  private order = 0;

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const sleeper = { at: this.time + ms, order: this.order++, resolve: () => resolve() };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((entry) => entry !== sleeper);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** Settles `work`, advancing time to each next sleeper while nothing else can happen. */
  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    work.then(
      () => (done = true),
      () => (done = true),
    );
    for (let idle = 0; !done; ) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (done) break;
      this.sleepers.sort((a, b) => a.at - b.at || a.order - b.order);
      const next = this.sleepers.shift();
      if (!next) {
        if (++idle > 100) throw new Error('FakeClock.run: the work waits on something other than the clock');
        continue;
      }
      idle = 0;
      this.time = Math.max(this.time, next.at);
      next.resolve();
    }
    return work;
  }
}

/**
 * A test kind that sleeps `delayMs` on the clock, fails its first `failTimes` attempts, then outputs `text`
 * (or its input) and applies `writes`.
 */
export function workKind(clock: EngineClock): NodeKind {
  const calls = new Map<string, number>();
  return defineNodeKind({
    id: 'work',
    displayName: 'Work (test)',
    description: 'test node',
    settings: z.strictObject({
      text: z.string().optional(),
      delayMs: z.number().optional(),
      failTimes: z.number().optional(),
      fatal: z.boolean().optional(),
      hang: z.boolean().optional(),
      hangTimes: z.number().optional(),
      set: z.record(z.string(), z.json()).optional(),
      append: z.record(z.string(), z.json()).optional(),
      tokens: z.number().optional(),
    }),
    inputs: 'any',
    output: 'text or input',
    acceptsInput: true,
    ports: () => [DEFAULT_PORT],
    routes: false,
    run: async (ctx) => {
      const key = `${ctx.runId}:${ctx.nodeId}`;
      const call = (calls.get(key) ?? 0) + 1;
      calls.set(key, call);
      if (ctx.settings.hang || call <= (ctx.settings.hangTimes ?? 0)) await new Promise(() => {});
      if (ctx.settings.delayMs) await clock.sleep(ctx.settings.delayMs, ctx.signal);
      if (call <= (ctx.settings.failTimes ?? 0)) throw new NodeError(`failure ${call}`, !ctx.settings.fatal);
      for (const [k, v] of Object.entries(ctx.settings.set ?? {})) ctx.state.set('session', k, v);
      for (const [k, v] of Object.entries(ctx.settings.append ?? {})) ctx.state.append('session', k, v);
      if (ctx.settings.tokens) ctx.usage({ inputTokens: ctx.settings.tokens, outputTokens: 1 });
      return ctx.settings.text ?? ctx.input;
    },
  });
}

/** `abort` (test): stops the run with its `message`. */
export const abortKind = defineNodeKind({
  id: 'abort',
  displayName: 'Abort (test)',
  description: 'test node',
  settings: z.strictObject({ message: z.string() }),
  inputs: 'any',
  output: 'never returns',
  acceptsInput: true,
  ports: () => [DEFAULT_PORT],
  routes: false,
  run: (ctx) => ctx.abort(ctx.settings.message),
});

type NodeSpec = [id: string, kind: string, settings?: Record<string, unknown>];

/** A definition from `[id, kind, settings]` triples and OCS-style edges `"a - b"` / `"router:port - b"`. */
export function pipeline(nodes: NodeSpec[], edges: string[], extra?: Partial<PipelineDefinition>): PipelineDefinition {
  return {
    schemaVersion: 2,
    nodes: nodes.map(([id, kind, settings = {}]) => ({ id, kind, settings })),
    edges: edges.map((edge) => {
      const [from = '', to = ''] = edge.split(' - ');
      const [node = '', port] = from.split(':');
      return port ? { from: node, fromPort: port, to } : { from: node, to };
    }),
    settings: { burstPolicy: 'queue', welcomeMessage: '', starterQuestions: [] },
    ...extra,
  };
}

/** OCS's state_key_router_node: routes on run key `key`, one port per value, the first port as default. */
export const keyRouter = (key: string, ports: string[], extra: Record<string, unknown> = {}) => ({
  source: 'run',
  key,
  rules: ports.map((port) => ({ port, operator: 'equals', value: port })),
  defaultPort: ports[0],
  ...extra,
});

/** Template node settings `text` (a Jinja template). */
export const tpl = (template: string) => ({ template });

export interface TestRun {
  run: RunCheckpoint;
  events: PipelineEvent[];
  checkpoints: RunCheckpoint[];
  /** The output of a node, or undefined when it did not complete. */
  output(nodeId: string): unknown;
  replies: string[];
}

/** Compiles and runs a definition with the built-in kinds plus the test kinds, on a fake clock. */
export async function runTest(
  definition: PipelineDefinition,
  options: Partial<Omit<RunPipelineInput, 'pipeline'>> & { clock?: FakeClock; kinds?: NodeKind[] } = {},
): Promise<TestRun> {
  const clock = options.clock ?? new FakeClock();
  const kinds = kindRegistry(workKind(clock), abortKind, ...(options.kinds ?? []));
  const events: PipelineEvent[] = [];
  const checkpoints: RunCheckpoint[] = [];
  const run = await clock.run(
    runPipeline({
      runId: 'run-1',
      input: 'Hi',
      session: {},
      participant: {},
      ...options,
      pipeline: compilePipeline(definition, kinds),
      clock,
      onEvent: (event) => events.push(event),
      onCheckpoint: (checkpoint) => {
        // The engine shows the live run: a copy keeps each checkpoint as it was.
        checkpoints.push(JSON.parse(JSON.stringify(checkpoint)) as RunCheckpoint);
        return options.onCheckpoint?.(checkpoint);
      },
    }),
  );
  const output = (nodeId: string) => {
    const record = run.nodes[nodeId];
    return record?.status === 'completed' ? record.output : undefined;
  };
  return { run, events, checkpoints, output, replies: run.replies.map((reply) => reply.text) };
}

/// <reference types="node" />
/**
 * `npm run bench:scale` (issue 19 §4): drives conversations on local `wrangler dev` and counts, per turn, what they
 * ask of the shared services: D1 statements, writes and rows written per binding (on the turn path vs. in the queue
 * consumer), queue messages, R2 writes and Durable Object requests. Counting: the Worker runs with PARLEY_METER=1,
 * which wraps each handler's bindings (worker/ports/metered-env.ts) and logs one line per call; this script reads
 * them from the server's output. It runs against a generated configuration (scale-config.ts): wrangler.toml plus
 * `--shards` D1 shard bindings (default 16) and `--queues` analytics queues (default 5), so the counts are per real
 * binding. Then it projects the load at 10,000 turns/s over those shards and queues against each service's published
 * limit, prints pass/fail per budget line and writes the section `bench:scale` of bench/README.md.
 *
 *   npm run bench:scale                                   # 200 turns over 50 conversations, 16 shards, 5 queues
 *   npm run bench:scale -- --turns=40 --conversations=10 --shards=2 --queues=1 --no-write
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { MeterLine } from '../../worker/ports/meter-line.ts';
import { buildUi, root } from '../build-ui.ts';
import { wrangler } from '../lib/wrangler.ts';
import { parleyTarget } from './clients.ts';
import { startParley } from './parley.ts';
import { writeReadmeSection } from './readme-section.ts';
import { describeMachine } from './report.ts';
import { SCALE_CONFIG_FILE, scaleConfig } from './scale-config.ts';
import {
  BUDGET_SHARDS,
  type BudgetLine,
  HEADROOM,
  LIMITS,
  meterParser,
  newConversationsPerS,
  type Opening,
  type Projection,
  project,
  readTopology,
  sum,
  TARGET_TURNS_PER_S,
  type Totals,
} from './scale-projection.ts';
import { bundleWorker, killAllNow, stopAll } from './server.ts';
import { buildWorkload } from './workload.ts';

const MAX_RUN_MS = 15 * 60_000;
/** The consumer's batches leave within max_batch_timeout (1 s, wrangler.toml): quiet this long means drained. */
const QUIET_MS = 3_000;
const DRAIN_TIMEOUT_MS = 60_000;

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const value = args.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new Error(`--${name} must be an integer from 1 to 10000`);
  return n;
};
const conversations = option('conversations', 50);
const totalTurns = option('turns', 200);
const shardCount = option('shards', 16);
const queueCount = option('queues', 5);
const write = !args.includes('--no-write');
const stateDir = resolve(root, '.wrangler/bench-scale-state');
const readmePath = resolve(root, 'bench/README.md');

/** migrations-shard/ into every shard's local database, a few wrangler processes at a time (2 cores here). */
async function migrateShards(config: string, bindings: readonly string[]): Promise<void> {
  const pending = [...bindings];
  const worker = async () => {
    for (let binding = pending.shift(); binding; binding = pending.shift()) {
      const args = ['d1', 'migrations', 'apply', binding, '--local', '--config', config, '--persist-to', stateDir];
      await wrangler(args, { quiet: true });
    }
  };
  await Promise.all([worker(), worker(), worker()]);
}

async function waitForQuiet(lines: readonly MeterLine[]): Promise<void> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  let seen = lines.length;
  let quietSince = Date.now();
  while (Date.now() - quietSince < QUIET_MS) {
    if (Date.now() > deadline) throw new Error('the queue consumer did not settle within a minute');
    await new Promise((r) => setTimeout(r, 250));
    if (lines.length !== seen) {
      seen = lines.length;
      quietSince = Date.now();
    }
  }
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const pct = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`;

function budget(totals: Totals, turns: number, projections: Projection[], shards: number): BudgetLine[] {
  const turnQueue = Object.values(totals.queue).reduce((s, q) => s + q.turnPath, 0) / turns;
  const syncWrites = Object.values(totals.d1).reduce((s, d) => s + d.turnPath.writes, 0) / turns;
  return [
    { name: 'queue messages per turn', value: fmt(turnQueue), limit: '≤ 1', pass: turnQueue <= 1 },
    { name: 'synchronous D1 writes per turn', value: fmt(syncWrites), limit: '0', pass: syncWrites === 0 },
    {
      name: 'D1 shards configured',
      value: String(shards),
      limit: `${BUDGET_SHARDS}`,
      pass: shards >= BUDGET_SHARDS,
    },
    ...projections.map((p) => ({
      name: `${p.service} at ${TARGET_TURNS_PER_S.toLocaleString('en-US')} turns/s`,
      value: `${fmt(p.perSecondEach)}/s each = ${pct(p.share)} of ${p.limit.toLocaleString('en-US')}/s`,
      limit: `< ${HEADROOM * 100} %`,
      pass: p.share < HEADROOM,
    })),
  ];
}

function render(options: {
  machine: Awaited<ReturnType<typeof describeMachine>>;
  turns: number;
  totals: Totals;
  opening: Opening;
  projections: Projection[];
  lines: BudgetLine[];
  shards: number;
  shardBindings: number;
  queues: number;
  load: [number, number];
}): string {
  const { turns, totals, opening } = options;
  const per = (n: number) => fmt(n / turns);
  const perOpen = (n: number) => fmt(n / opening.conversations);
  const zeroD1 = { statements: 0, writes: 0, rowsWritten: 0 };
  const out: string[] = [];
  out.push(
    `Measured ${options.machine.date} on ${options.machine.cpu}, ${options.machine.cores} cores, Node ${options.machine.node}; load average ${options.load[0].toFixed(2)} before, ${options.load[1].toFixed(2)} after. ${turns} turns over ${conversations} conversations (${Math.round(turns / conversations)} each, one WebSocket per conversation, the zero-latency offline chatbot of \`npm run bench\`); counts from opening the sockets to the queue consumer going quiet, divided by the turns. Configuration: wrangler.toml plus ${options.shardBindings} D1 shard bindings (\`DB_SHARD_*\`) and ${options.queues} analytics queue${options.queues === 1 ? '' : 's'} (\`EVENTS\`${options.queues > 1 ? ', `EVENTS_01…`' : ''}), generated by scripts/bench/scale-config.ts (\`--shards\`, \`--queues\`). The bench's one team writes to one shard; conversations hash over the queues.`,
    '',
    '**Per turn** (turn path = the API request and the conversation object; consumer = the queue consumer, after the turn), and **per conversation opened** (its `POST /api/v1/conversations` and WebSocket handshake, counted apart from the turns):',
    '',
    '| service | binding | turn path | consumer | opening, per conversation |',
    '| --- | --- | ---: | ---: | ---: |',
  );
  const d1Bindings = new Set([...Object.keys(totals.d1), ...Object.keys(opening.totals.d1)]);
  for (const binding of d1Bindings) {
    const d = totals.d1[binding] ?? { turnPath: zeroD1, consumer: zeroD1 };
    const o = opening.totals.d1[binding] ?? { turnPath: zeroD1, consumer: zeroD1 };
    const open = (field: keyof typeof zeroD1) => perOpen(o.turnPath[field] + o.consumer[field]);
    out.push(
      `| D1 statements | \`${binding}\` | ${per(d.turnPath.statements)} | ${per(d.consumer.statements)} | ${open('statements')} |`,
    );
    out.push(
      `| D1 writing statements | \`${binding}\` | ${per(d.turnPath.writes)} | ${per(d.consumer.writes)} | ${open('writes')} |`,
    );
    out.push(
      `| D1 rows written (\`meta.rows_written\`) | \`${binding}\` | ${per(d.turnPath.rowsWritten)} | ${per(d.consumer.rowsWritten)} | ${open('rowsWritten')} |`,
    );
  }
  type Simple = Record<string, { turnPath: number; consumer: number }>;
  const simple = (label: string, table: Simple, openTable: Simple) => {
    const bindings = new Set([...Object.keys(table), ...Object.keys(openTable)]);
    if (bindings.size === 0) out.push(`| ${label} | — | 0 | 0 | 0 |`);
    for (const binding of bindings) {
      const c = table[binding] ?? { turnPath: 0, consumer: 0 };
      const o = openTable[binding] ?? { turnPath: 0, consumer: 0 };
      out.push(
        `| ${label} | \`${binding}\` | ${per(c.turnPath)} | ${per(c.consumer)} | ${perOpen(o.turnPath + o.consumer)} |`,
      );
    }
  };
  simple('queue messages sent', totals.queue, opening.totals.queue);
  simple('R2 writes', totals.r2, opening.totals.r2);
  simple('Durable Object requests (stub calls)', totals.durableObjects, opening.totals.durableObjects);
  const newPerS = newConversationsPerS(opening).toLocaleString('en-US');
  out.push(
    '',
    `**At ${TARGET_TURNS_PER_S.toLocaleString('en-US')} turns/s** with the configured shards and queues, and the ${newPerS} new conversations/s that come with them at this run's ${opening.turnsPerConversation} turns per conversation (each sees = per turn × ${TARGET_TURNS_PER_S.toLocaleString('en-US')} + per new conversation × ${newPerS}, over the databases or queues):`,
    '',
    '| service | per turn | per new conversation | spread over | each sees | limit | share |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...options.projections.map(
      (p) =>
        `| ${p.service} | ${fmt(p.perTurn)} | ${fmt(p.perConversation)} | ${p.databasesOrQueues} | ${fmt(p.perSecondEach)}/s | ${p.limit.toLocaleString('en-US')}/s | ${pct(p.share)} |`,
    ),
    `| R2 | ${per(Object.values(totals.r2).reduce((s, c) => s + c.turnPath + c.consumer, 0))} writes | — | — | — | no per-bucket write rate; 1 write/s per key | — |`,
    `| Analytics Engine | 0 data points (no UsageCounter yet) | — | — | — | ${LIMITS.analyticsPointsPerInvocation.value} per invocation | — |`,
    `| Durable Objects | one object per conversation | — | unlimited objects | a few requests per turn | ${LIMITS.doRequestsPerObjectPerS.value.toLocaleString('en-US')}/s per object | ✔ |`,
    '',
    '**Budget** (issue 19 §4):',
    '',
    '| line | measured | budget | result |',
    '| --- | --- | --- | --- |',
    ...options.lines.map((l) => `| ${l.name} | ${l.value} | ${l.limit} | ${l.pass ? 'pass' : '**fail**'} |`),
    '',
    `Limits: ${Object.values(LIMITS)
      .map((l) => l.source)
      .join('; ')}.`,
  );
  return out.join('\n');
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0] ?? 0;
  const workload = buildWorkload();
  const turnsEach = Math.max(1, Math.round(totalTurns / conversations));
  await rm(stateDir, { recursive: true, force: true });
  await mkdir(stateDir, { recursive: true });
  // wrangler.toml serves dist/public as assets; a fresh checkout has not built it yet (as in scripts/bench/run.ts).
  if (!existsSync(resolve(root, 'dist/public'))) await buildUi();
  const generated = scaleConfig(await readFile(resolve(root, 'wrangler.toml'), 'utf8'), shardCount, queueCount);
  const config = resolve(root, SCALE_CONFIG_FILE);
  await writeFile(config, generated.toml);
  const topology = readTopology(generated.toml);
  const bundle = await bundleWorker(config, resolve(stateDir, 'bundle'));
  await migrateShards(config, generated.shardBindings);
  const lines: MeterLine[] = [];
  const parser = meterParser();
  const parley = await startParley(
    stateDir,
    bundle,
    config,
    { PARLEY_METER: '1' },
    {
      logLevel: 'log',
      onOutput: (chunk) => {
        if (process.env.SCALE_DEBUG) process.stdout.write(chunk);
        lines.push(...parser.feed(chunk));
      },
    },
  );
  console.log(`Parley on ${parley.server.origin} (metered); ${conversations} conversations × ${turnsEach} turns`);
  const client = parleyTarget({
    origin: parley.server.origin,
    apiKey: parley.seed.apiKey,
    chatbotId: parley.seed.chatbotId,
    question: workload.question,
    replyTokens: workload.replyTokens,
  });
  // Opening a conversation is not a turn: its calls are counted apart, per conversation (Opening).
  const openFrom = lines.length;
  const sessions = await client.open(conversations);
  await waitForQuiet(lines);
  const from = lines.length;
  const started = performance.now();
  await Promise.all(
    sessions.map(async (session) => {
      for (let i = 0; i < turnsEach; i++) await session.turn(i);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await waitForQuiet(lines);
  for (const session of sessions) session.close();
  const turns = turnsEach * sessions.length;
  const totals = sum(lines.slice(from));
  if (lines.length === from) throw new Error('no meter lines: is PARLEY_METER reaching the Worker?');
  const opening: Opening = {
    totals: sum(lines.slice(openFrom, from)),
    conversations: sessions.length,
    turnsPerConversation: turnsEach,
  };
  const projections = project(totals, turns, topology, opening);
  const shards = topology.d1Shards.length || 1;
  const budgetLines = budget(totals, turns, projections, shards);
  console.log(`${turns} turns in ${seconds.toFixed(1)} s`);
  for (const line of budgetLines)
    console.log(`${line.pass ? 'pass' : 'FAIL'}  ${line.name}: ${line.value} (${line.limit})`);
  const markdown = render({
    machine: await describeMachine(root),
    turns,
    totals,
    opening,
    projections,
    lines: budgetLines,
    shards,
    shardBindings: topology.d1Shards.length,
    queues: Math.max(1, topology.analyticsQueues.length),
    load: [loadBefore, loadavg()[0] ?? 0],
  });
  console.log(`\n${markdown}`);
  if (write) {
    await writeReadmeSection(readmePath, 'bench:scale', markdown);
    console.log(`Wrote ${readmePath}`);
  }
}

const deadline = setTimeout(() => {
  console.error(`bench:scale exceeded ${MAX_RUN_MS / 60_000} minutes; stopping.`);
  void stopAll().finally(() => process.exit(1));
}, MAX_RUN_MS);
process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => void stopAll().finally(() => process.exit(130)));
}
main()
  .finally(() => rm(resolve(root, SCALE_CONFIG_FILE), { force: true }))
  .then(async () => {
    clearTimeout(deadline);
    await stopAll();
    process.exit(0);
  })
  .catch(async (error: unknown) => {
    clearTimeout(deadline);
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    await stopAll();
    process.exit(1);
  });

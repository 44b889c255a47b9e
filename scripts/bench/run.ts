/// <reference types="node" />
/**
 * `npm run bench`: the time Parley adds to a conversation turn on local workerd, next to the Cloudflare Agents SDK's
 * AIChatAgent doing the same work. Not part of `npm test`. What it measures and why: bench/README.md.
 *
 *  1. bundles both Workers (`wrangler deploy --dry-run --outdir`) and measures their gzip size;
 *  2. starts Parley (fresh state in .wrangler/bench-state, D1 migrations, seed: the demo plus a chatbot on the
 *     offline provider with delayMs 0) and the AIChatAgent worker of bench/ai-chat, each with `wrangler dev` on a
 *     free loopback port;
 *  3. for 1, 10 and 100 concurrent conversations, one WebSocket each: warm-up turns, then measured turns — Parley
 *     first, then AIChatAgent, so both see the machine in the same state; at 10, Parley's pipeline chatbot
 *     (pipeline.ts) right after its single-node one;
 *  4. prints the tables and rewrites the results section of bench/README.md.
 *
 * Flags: --no-compare (Parley only), --no-write (print only), --quick (few turns, to try the harness),
 * --pipeline-only (Parley's two chatbots at 10 conversations, nothing else: a quick A/B of a change) and
 * --profile (CPU profiles of both servers, and of Parley's pipeline phase, at 10 conversations, under
 * .wrangler/bench-state); the last two never
 * write the README. Stops by itself: servers are killed at the end, on error and on Ctrl-C, and the whole run is
 * bounded in time.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { buildUi, root } from '../build-ui.ts';
import { aiChatTarget, type ChatSession, type ChatTarget, parleyTarget, type TurnTiming } from './clients.ts';
import { startParley } from './parley.ts';
import { PIPELINE_BUDGET, type PipelineComparison, renderPipelineSection } from './pipeline.ts';
import { connectProfiler } from './profile.ts';
import { describeMachine, type PhaseResult, phaseResult, type Report, renderReport, writeSection } from './report.ts';
import {
  type Bundle,
  bundleWorker,
  cpuBetween,
  type DevServer,
  killAllNow,
  startDevServer,
  stopAll,
} from './server.ts';
import { buildWorkload } from './workload.ts';

const MAX_RUN_MS = 20 * 60_000;
// Lets the previous phase's background work finish (Parley's analytics queue batches within 1 s).
const SETTLE_MS = 2_000;

const flags = new Set(process.argv.slice(2));
const quick = flags.has('--quick');
// Profiles the measured turns at PROFILED_CONCURRENCY; the profiler slows the run, so nothing is written.
const profiling = flags.has('--profile');
const PROFILED_CONCURRENCY = 10;
// Only the pipeline comparison (single-node vs pipeline chatbot at its concurrency): about a minute.
const pipelineOnly = flags.has('--pipeline-only');

/** Turns per conversation: warm-up (not measured), then measured. */
const FULL_PLAN = quick
  ? [
      { concurrency: 1, warmup: 1, rounds: 5 },
      { concurrency: 10, warmup: 1, rounds: 3 },
      { concurrency: 100, warmup: 1, rounds: 1 },
    ]
  : [
      // One conversation runs ≈ 250 turns/s: 20 turns were 80 ms, where a few ms of background work (timers, GC, the
      // dev proxy) doubled the CPU per turn. 200 turns (≈ 1 s for Parley, ≈ 8 s for AIChatAgent) measure the turn.
      { concurrency: 1, warmup: 20, rounds: 200 },
      { concurrency: 10, warmup: 3, rounds: 20 },
      { concurrency: 100, warmup: 1, rounds: 5 },
    ];
const PLAN = pipelineOnly ? FULL_PLAN.filter((step) => step.concurrency === PIPELINE_BUDGET.concurrency) : FULL_PLAN;

const stateDir = resolve(root, '.wrangler/bench-state');
const readmePath = resolve(root, 'bench/README.md');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Opens `step.concurrency` conversations, warms them up, then times `step.rounds` turns in each, all at once.
 * With `profile`, the measured turns run under the V8 profiler of that server's isolate.
 */
async function runPhase(
  target: ChatTarget,
  server: DevServer,
  step: (typeof PLAN)[number],
  profile?: { inspectorPort: number; path: string },
): Promise<PhaseResult> {
  const sessions: ChatSession[] = await target.open(step.concurrency);
  try {
    await Promise.all(
      sessions.map(async (session) => {
        for (let i = 0; i < step.warmup; i++) await session.turn(i);
      }),
    );
    await sleep(SETTLE_MS);
    const profiler = profile && (await connectProfiler(profile.inspectorPort));
    await profiler?.start();
    const serverCpuBefore = await server.cpuSnapshot();
    const clientCpuBefore = process.cpuUsage();
    const started = performance.now();
    const perSession = await Promise.all(
      sessions.map(async (session) => {
        const timings: TurnTiming[] = [];
        for (let i = 0; i < step.rounds; i++) timings.push(await session.turn(step.warmup + i));
        return timings;
      }),
    );
    const wallMs = performance.now() - started;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const serverCpuAfter = await server.cpuSnapshot();
    if (profiler && profile) {
      const summary = await profiler.stop(profile.path);
      profiler.close();
      console.log(`CPU profile of ${target.system} ×${step.concurrency} → ${profile.path}\n${summary}`);
    }
    const result = phaseResult(step.concurrency, step.warmup * step.concurrency, perSession.flat(), wallMs, {
      server: serverCpuBefore && serverCpuAfter ? cpuBetween(serverCpuBefore, serverCpuAfter) : undefined,
      clientMs: (clientCpu.user + clientCpu.system) / 1000,
    });
    console.log(
      `  ${target.system.padEnd(11)} ×${String(step.concurrency).padEnd(3)} ${result.turns} turns, ` +
        `${result.turnsPerSecond.toFixed(1)} turns/s; t0→first token p50 ${result.firstToken.p50.toFixed(2)} ms, ` +
        `p99 ${result.firstToken.p99.toFixed(2)} ms; send→last token p50 ${result.sendLast.p50.toFixed(2)} ms; ` +
        `CPU per turn: server ${result.serverCpuMsPerTurn?.toFixed(2) ?? '?'} ms (workerd ${result.workerCpuMsPerTurn?.toFixed(2) ?? '?'} ms), ` +
        `client ${result.clientCpuMsPerTurn.toFixed(1)} ms`,
    );
    return result;
  } finally {
    for (const session of sessions) session.close();
    await sleep(SETTLE_MS);
  }
}

async function packageVersion(name: string): Promise<string> {
  const path = resolve(root, 'node_modules', name, 'package.json');
  return (JSON.parse(await readFile(path, 'utf8')) as { version: string }).version;
}

interface AiChatSetup {
  bundle?: Bundle;
  server?: DevServer;
  versions: string;
  error?: string;
}

/** The comparison worker, or why it cannot run here (Parley's figures stand without it). */
async function startAiChat(): Promise<AiChatSetup> {
  const setup: AiChatSetup = { versions: '' };
  try {
    setup.versions = `@cloudflare/ai-chat ${await packageVersion('@cloudflare/ai-chat')}, agents ${await packageVersion('agents')}, ai ${await packageVersion('ai')}`;
    const config = resolve(root, 'bench/ai-chat/wrangler.toml');
    setup.bundle = await bundleWorker(config, resolve(stateDir, 'bundles/ai-chat'));
    console.log(`AIChatAgent bundle: ${setup.bundle.wranglerSummary}`);
    setup.server = await startDevServer({
      name: 'AIChatAgent',
      config,
      entry: setup.bundle.entry,
      persistTo: resolve(stateDir, 'ai-chat'),
    });
    console.log(`AIChatAgent on ${setup.server.origin}`);
  } catch (error) {
    setup.error = describeError(error);
    console.error(`AIChatAgent comparison unavailable: ${setup.error}`);
  }
  return setup;
}

const describeError = (error: unknown) =>
  error instanceof Error ? error.message.split('\n').slice(0, 12).join(' ').trim() : String(error);

async function main(): Promise<void> {
  const startedAt = performance.now();
  const loadBefore = loadavg()[0] ?? 0;
  const workload = buildWorkload();
  if (!workload.exact) console.warn(`Note: ${workload.note}`);
  console.log(`Workload: ${workload.replyTokens}-token replies to a ${workload.question.length}-character question.`);
  console.log(`Load average (1 min) before the run: ${loadBefore.toFixed(2)}`);

  await rm(stateDir, { recursive: true, force: true });
  await mkdir(stateDir, { recursive: true });
  // wrangler.toml serves dist/public as assets; a fresh checkout has not built it yet.
  if (!existsSync(resolve(root, 'dist/public'))) await buildUi();

  const parleyBundle = await bundleWorker(resolve(root, 'wrangler.toml'), resolve(stateDir, 'bundles/parley'));
  console.log(`Parley bundle: ${parleyBundle.wranglerSummary}`);
  const parley = await startParley(stateDir, parleyBundle);
  console.log(`Parley on ${parley.server.origin}`);
  const aiChat =
    flags.has('--no-compare') || pipelineOnly
      ? { versions: '', error: 'skipped (--no-compare).' }
      : await startAiChat();

  const parleyClient = parleyTarget({
    origin: parley.server.origin,
    apiKey: parley.seed.apiKey,
    chatbotId: parley.seed.chatbotId,
    question: workload.question,
    replyTokens: workload.replyTokens,
  });
  const aiChatClient =
    aiChat.server &&
    aiChatTarget({
      origin: aiChat.server.origin,
      question: workload.question,
      replyTokens: workload.replyTokens,
      runId: Date.now().toString(36),
    });

  // The same chatbot on sockets that ask for node progress (`?nodeEvents=true`, as a debugging UI would) …
  const pipelineClient = parleyTarget({
    origin: parley.server.origin,
    apiKey: parley.seed.apiKey,
    chatbotId: parley.seed.pipelineChatbotId,
    question: workload.question,
    replyTokens: workload.replyTokens,
    socketQuery: '&nodeEvents=true',
  });
  // … and on default sockets, which get no node progress (a chat UI such as the widget).
  const quietPipelineClient = parleyTarget({
    origin: parley.server.origin,
    apiKey: parley.seed.apiKey,
    chatbotId: parley.seed.pipelineChatbotId,
    question: workload.question,
    replyTokens: workload.replyTokens,
  });
  const pipeline: PipelineComparison = {};
  const parleyPhases: PhaseResult[] = [];
  const aiChatPhases: PhaseResult[] = [];
  const failures: Report['failures'] = [];
  for (const step of PLAN) {
    const profileOf = (server: DevServer, name: string) =>
      profiling && step.concurrency === PROFILED_CONCURRENCY
        ? { inspectorPort: server.inspectorPort, path: resolve(stateDir, `${name}-${step.concurrency}.cpuprofile`) }
        : undefined;
    try {
      const phase = await runPhase(parleyClient, parley.server, step, profileOf(parley.server, 'parley'));
      parleyPhases.push(phase);
      if (step.concurrency === PIPELINE_BUDGET.concurrency) pipeline.single = phase;
    } catch (error) {
      // A failed phase is reported, not fatal: the other figures still say something.
      failures.push({ system: 'Parley', concurrency: step.concurrency, error: describeError(error) });
      console.error(`Parley failed at ${step.concurrency} concurrent conversations: ${describeError(error)}`);
    }
    // The pipeline right after the single-node chatbot at the same level, so both see the machine in the same state.
    if (step.concurrency === PIPELINE_BUDGET.concurrency) {
      try {
        pipeline.pipeline = await runPhase(pipelineClient, parley.server, step, profileOf(parley.server, 'pipeline'));
        pipeline.quiet = await runPhase(quietPipelineClient, parley.server, step);
      } catch (error) {
        pipeline.error = describeError(error);
        console.error(`The pipeline workload failed: ${pipeline.error}`);
      }
    }
    if (!aiChatClient || !aiChat.server) continue;
    try {
      aiChatPhases.push(await runPhase(aiChatClient, aiChat.server, step, profileOf(aiChat.server, 'ai-chat')));
    } catch (error) {
      failures.push({ system: 'AIChatAgent', concurrency: step.concurrency, error: describeError(error) });
      console.error(`AIChatAgent failed at ${step.concurrency} concurrent conversations: ${describeError(error)}`);
    }
  }
  await Promise.all([parley.server.stop(), aiChat.server?.stop()]);

  const plan = PLAN.map((s) => `${s.concurrency} × (${s.warmup} warm-up + ${s.rounds} measured turns)`).join(', ');
  const report: Report = {
    machine: await describeMachine(root),
    durationMs: performance.now() - startedAt,
    load: { before: loadBefore, after: loadavg()[0] ?? 0 },
    workload: { ...workload, questionChars: workload.question.length },
    plan: `conversations × turns each: ${plan}; one WebSocket per conversation, all clients in one Node process`,
    parley: { bundle: parleyBundle, phases: parleyPhases },
    failures,
    aiChat: { bundle: aiChat.bundle, phases: aiChatPhases, versions: aiChat.versions, error: aiChat.error },
  };
  const markdown = `${renderReport(report)}\n${renderPipelineSection(pipeline)}\n`;
  console.log(`\n${markdown}`);
  if (!flags.has('--no-write') && !quick && !profiling && !pipelineOnly) {
    await writeSection(readmePath, markdown);
    console.log(`Wrote ${readmePath}`);
  }
}

const deadline = setTimeout(() => {
  console.error(`The benchmark exceeded ${MAX_RUN_MS / 60_000} minutes; stopping.`);
  void stopAll().finally(() => process.exit(1));
}, MAX_RUN_MS);

// Whatever ends this process, no wrangler or workerd outlives it.
process.on('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    void stopAll().finally(() => process.exit(130));
  });
}

main()
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

/// <reference types="node" />
/** The benchmark's markdown: machine, bundle sizes, Parley's table, the budget verdict and the AIChatAgent comparison. */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, platform, release, totalmem } from 'node:os';
import type { TurnTiming } from './clients.ts';
import type { Bundle, CpuSplit } from './server.ts';
import { ms, type Summary, summarize } from './stats.ts';

export const BUDGET = { concurrency: 10, firstTokenP50: 2, firstTokenP99: 10 } as const;

/**
 * Issue 19 §5, at every level: CPU per turn of the Worker's workerd (wrangler's dev proxy does not exist deployed:
 * bench/README.md "What is measured") and turns/s against AIChatAgent's in the same run.
 */
export const CPU_BUDGET = { workerCpuMsPerTurn: 2.5, turnsPerSecondRatio: 10 } as const;

export const START_MARKER =
  '<!-- bench:results:start (written by npm run bench; edits between the markers are lost) -->';
export const END_MARKER = '<!-- bench:results:end -->';

export interface PhaseResult {
  concurrency: number;
  turns: number;
  warmupTurns: number;
  wallMs: number;
  turnsPerSecond: number;
  /** t0 − send */
  accept: Summary;
  /** t1 − t0: added time to first token */
  firstToken: Summary;
  /** t2 − t0: added time to last token */
  lastToken: Summary;
  /** t1 − send */
  sendFirst: Summary;
  /** t2 − send */
  sendLast: Summary;
  /** CPU time of the server's processes (wrangler + workerd) per measured turn; less sensitive to other load. */
  serverCpuMsPerTurn?: number;
  /** The part of it spent in the workerd that runs the Worker: what the CPU budget is judged on (bench/README.md). */
  workerCpuMsPerTurn?: number;
  /** CPU time of the benchmark's own process (the clients) per measured turn. */
  clientCpuMsPerTurn: number;
}

export function phaseResult(
  concurrency: number,
  warmupTurns: number,
  timings: TurnTiming[],
  wallMs: number,
  cpu: { server?: CpuSplit; clientMs: number } = { clientMs: Number.NaN },
): PhaseResult {
  return {
    serverCpuMsPerTurn: cpu.server && cpu.server.totalMs / timings.length,
    workerCpuMsPerTurn: cpu.server && cpu.server.workerMs / timings.length,
    clientCpuMsPerTurn: cpu.clientMs / timings.length,
    concurrency,
    turns: timings.length,
    warmupTurns,
    wallMs,
    turnsPerSecond: timings.length / (wallMs / 1000),
    accept: summarize(timings.map((t) => t.t0 - t.send)),
    firstToken: summarize(timings.map((t) => t.t1 - t.t0)),
    lastToken: summarize(timings.map((t) => t.t2 - t.t0)),
    sendFirst: summarize(timings.map((t) => t.t1 - t.send)),
    sendLast: summarize(timings.map((t) => t.t2 - t.send)),
  };
}

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  node: string;
  os: string;
  memoryGiB: number;
  wrangler: string;
  workerd: string;
}

export async function describeMachine(root: string): Promise<Machine> {
  const version = async (paths: string[]) => {
    for (const path of paths) {
      if (existsSync(path)) return (JSON.parse(await readFile(path, 'utf8')) as { version: string }).version;
    }
    return 'unknown';
  };
  const cpuList = cpus();
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    node: process.version,
    os: `${platform()} ${release()} ${process.arch}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    wrangler: await version([`${root}/node_modules/wrangler/package.json`]),
    // wrangler runs the workerd it depends on; a nested copy wins over a hoisted one.
    workerd: await version([
      `${root}/node_modules/wrangler/node_modules/workerd/package.json`,
      `${root}/node_modules/workerd/package.json`,
    ]),
  };
}

export interface Report {
  machine: Machine;
  durationMs: number;
  /** 1-minute load average of the machine before and after the run: other work skews every figure. */
  load: { before: number; after: number };
  workload: { replyTokens: number; exact: boolean; note: string; questionChars: number };
  plan: string;
  parley: { bundle: Bundle; phases: PhaseResult[] };
  /** Phases that did not finish (a turn timed out, a socket closed…). */
  failures: { system: string; concurrency: number; error: string }[];
  aiChat: { bundle?: Bundle; phases: PhaseResult[]; versions: string; error?: string };
}

const msOrDash = (value: number | undefined) => (value === undefined ? '–' : `${ms(value)} ms`);
const cpu = (p: PhaseResult) => msOrDash(p.serverCpuMsPerTurn);
const workerCpu = (p: PhaseResult) => msOrDash(p.workerCpuMsPerTurn);
const wranglerCpu = (p: PhaseResult) =>
  msOrDash(
    p.serverCpuMsPerTurn === undefined || p.workerCpuMsPerTurn === undefined
      ? undefined
      : p.serverCpuMsPerTurn - p.workerCpuMsPerTurn,
  );
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const trio = (s: Summary) => `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.p99)}`;
const duration = (msTotal: number) => {
  const seconds = Math.round(msTotal / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds} s`;
};

export function budgetVerdict(phases: readonly PhaseResult[]): { ok: boolean; text: string } {
  const phase = phases.find((p) => p.concurrency === BUDGET.concurrency);
  if (!phase) return { ok: false, text: `no run at ${BUDGET.concurrency} concurrent conversations` };
  const p50ok = phase.firstToken.p50 <= BUDGET.firstTokenP50;
  const p99ok = phase.firstToken.p99 <= BUDGET.firstTokenP99;
  const mark = (ok: boolean) => (ok ? 'met' : '**missed**');
  return {
    ok: p50ok && p99ok,
    text:
      `at ${BUDGET.concurrency} concurrent conversations, added time to first token p50 ${ms(phase.firstToken.p50)} ms ` +
      `(budget ≤ ${BUDGET.firstTokenP50} ms: ${mark(p50ok)}), p99 ${ms(phase.firstToken.p99)} ms ` +
      `(budget ≤ ${BUDGET.firstTokenP99} ms: ${mark(p99ok)})`,
  };
}

/** Issue 19 §5 at each level Parley ran: the workerd CPU per turn, and turns/s against AIChatAgent's. */
export function cpuBudgetVerdict(parley: readonly PhaseResult[], aiChat: readonly PhaseResult[]): string {
  const mark = (ok: boolean) => (ok ? 'met' : '**missed**');
  const parts = parley.map((p) => {
    const a = aiChat.find((candidate) => candidate.concurrency === p.concurrency);
    const cpuOk = p.workerCpuMsPerTurn !== undefined && p.workerCpuMsPerTurn <= CPU_BUDGET.workerCpuMsPerTurn;
    const ratio = a ? p.turnsPerSecond / a.turnsPerSecond : undefined;
    const ratioText =
      ratio === undefined
        ? 'no AIChatAgent figure to compare'
        : `${ratio.toFixed(1)}× AIChatAgent's turns/s (${mark(ratio >= CPU_BUDGET.turnsPerSecondRatio)})`;
    return `at ${p.concurrency}: ${workerCpu(p)} (${mark(cpuOk)}), ${ratioText}`;
  });
  return (
    `**CPU budget** (issue 19 §5: ≤ ${CPU_BUDGET.workerCpuMsPerTurn} ms of the Worker's workerd per turn and ≥ ` +
    `${CPU_BUDGET.turnsPerSecondRatio}× AIChatAgent's turns/s): ${parts.join('; ')}.`
  );
}

export function renderReport(report: Report): string {
  const { machine, parley, aiChat, workload } = report;
  const lines: string[] = [];
  lines.push(
    `Run of ${machine.date} on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}; ` +
      `Node ${machine.node}; wrangler ${machine.wrangler} (workerd ${machine.workerd}). The run took ${duration(report.durationMs)}; ` +
      `load average ${report.load.before.toFixed(2)} before, ${report.load.after.toFixed(2)} after (the run's own load included).`,
    '',
    ...(report.load.before > machine.cores / 2
      ? [
          `**Warning:** the machine was busy with other work (load average above ${machine.cores / 2} on ${machine.cores} cores); ` +
            'these figures are pessimistic and noisy. Run again on an idle machine before drawing conclusions.',
          '',
        ]
      : []),
    `Workload: zero-latency offline provider, ${workload.replyTokens} tokens per reply` +
      `${workload.exact ? '' : ' (200 is out of its reach, see below)'}, question of ${workload.questionChars} characters; ${report.plan}.`,
    '',
    '**Worker bundle** (`wrangler deploy --dry-run --outdir`, JavaScript modules gzipped at level 9):',
    '',
    '| Worker | raw | gzip | wrangler reports |',
    '| --- | ---: | ---: | --- |',
    `| Parley | ${kib(parley.bundle.rawBytes)} | ${kib(parley.bundle.gzipBytes)} | ${parley.bundle.wranglerSummary} |`,
  );
  if (aiChat.bundle) {
    lines.push(
      `| AIChatAgent (bench/ai-chat) | ${kib(aiChat.bundle.rawBytes)} | ${kib(aiChat.bundle.gzipBytes)} | ${aiChat.bundle.wranglerSummary} |`,
    );
  }
  lines.push(
    '',
    '**Parley: time added to a turn** (ms, p50 / p95 / p99; t0 = the user message’s `message.created`; server CPU = ' +
      'CPU time of wrangler and its workerd processes during the measured turns ÷ turns, split into the workerd ' +
      'that runs the Worker and wrangler’s own (Node and its dev proxy’s workerd, which do not exist deployed); ' +
      'client CPU = the same for the benchmark’s own process, which shares the cores):',
    '',
    '| conversations | turns measured | turns/s | added time to first token (t1 − t0) | to last token (t2 − t0) | send → accepted (t0 − send) | server CPU per turn | of which workerd (Worker) | of which wrangler (Node + proxy) | client CPU per turn |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const p of parley.phases) {
    lines.push(
      `| ${p.concurrency} | ${p.turns} | ${p.turnsPerSecond.toFixed(1)} | ${trio(p.firstToken)} | ${trio(p.lastToken)} | ${trio(p.accept)} | ${cpu(p)} | ${workerCpu(p)} | ${wranglerCpu(p)} | ${ms(p.clientCpuMsPerTurn)} ms |`,
    );
  }
  const verdict = budgetVerdict(parley.phases);
  lines.push('', `**Budget:** ${verdict.ok ? 'met' : 'missed'} — ${verdict.text}.`, '');

  if (aiChat.phases.length > 0) {
    lines.push(
      `**Parley vs AIChatAgent** (${aiChat.versions}): same machine, same run, same ${workload.replyTokens} tokens, ` +
        'phases interleaved. Send-based times are measured the same way for both; t0-based ones are not comparable ' +
        '(AIChatAgent’s t0 is its first response frame, later in its pipeline than Parley’s `message.created`). ' +
        '**Ratio** = how many times better Parley is: AIChatAgent’s time (or CPU) ÷ Parley’s, and Parley’s turns/s ÷ ' +
        'AIChatAgent’s (above 1: Parley is better).',
      '',
      '| conversations | system | turns/s | server CPU per turn | workerd CPU per turn | send → first token p50 / p99 | send → last token p50 / p99 | t0 → first / last token p50 |',
      '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    const row = (system: string, p: PhaseResult) =>
      `| ${p.concurrency} | ${system} | ${p.turnsPerSecond.toFixed(1)} | ${cpu(p)} | ${workerCpu(p)} | ${ms(p.sendFirst.p50)} / ${ms(p.sendFirst.p99)} | ` +
      `${ms(p.sendLast.p50)} / ${ms(p.sendLast.p99)} | ${ms(p.firstToken.p50)} / ${ms(p.lastToken.p50)} |`;
    const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
    const levels = [...new Set([...parley.phases, ...aiChat.phases].map((p) => p.concurrency))].sort((a, b) => a - b);
    for (const level of levels) {
      const p = parley.phases.find((candidate) => candidate.concurrency === level);
      const a = aiChat.phases.find((candidate) => candidate.concurrency === level);
      if (p) lines.push(row('Parley', p));
      if (a) lines.push(row('AIChatAgent', a));
      if (p && a) {
        lines.push(
          `| ${level} | **ratio** | ${ratio(p.turnsPerSecond, a.turnsPerSecond)} | ` +
            `${p.serverCpuMsPerTurn && a.serverCpuMsPerTurn ? ratio(a.serverCpuMsPerTurn, p.serverCpuMsPerTurn) : ''} | ` +
            `${p.workerCpuMsPerTurn && a.workerCpuMsPerTurn ? ratio(a.workerCpuMsPerTurn, p.workerCpuMsPerTurn) : ''} | ` +
            `${ratio(a.sendFirst.p50, p.sendFirst.p50)} / ${ratio(a.sendFirst.p99, p.sendFirst.p99)} | ` +
            `${ratio(a.sendLast.p50, p.sendLast.p50)} / ${ratio(a.sendLast.p99, p.sendLast.p99)} | |`,
        );
      }
    }
    lines.push('');
  }
  lines.push(cpuBudgetVerdict(parley.phases, aiChat.phases), '');
  for (const failure of report.failures) {
    lines.push(`**${failure.system} at ${failure.concurrency} conversations failed:** ${failure.error}`, '');
  }
  if (aiChat.error) lines.push(`**AIChatAgent comparison not run:** ${aiChat.error}`, '');
  if (!workload.exact) lines.push(`**Reply length:** ${workload.note}`, '');
  return lines.join('\n');
}

/** Replaces the text between the markers of `path`, appending the markers when missing. */
export async function writeSection(path: string, section: string): Promise<void> {
  const current = existsSync(path) ? await readFile(path, 'utf8') : '# Benchmarks\n';
  const block = `${START_MARKER}\n\n${section.trim()}\n\n${END_MARKER}`;
  const start = current.indexOf(START_MARKER);
  const end = current.indexOf(END_MARKER);
  const next =
    start !== -1 && end > start
      ? current.slice(0, start) + block + current.slice(end + END_MARKER.length)
      : `${current.trimEnd()}\n\n## Latest results\n\n${block}\n`;
  await writeFile(path, next);
}

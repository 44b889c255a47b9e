/// <reference types="node" />
/**
 * `npm run test:e2e`: every end-to-end suite, each against its own `wrangler dev` (e2e/harness.ts), run side by side
 * instead of one after another. CI has 2 cores, so `E2E_JOBS` (default 2) suites that keep a CPU busy run at once;
 * a suite marked `idle` (local-cron waits for the next minute's cron boundary) runs alongside them without taking a
 * slot. The UI is built and `.dev.vars` created once here, before any suite starts: concurrent suites would otherwise
 * rebuild `dist/public` under each other's `wrangler dev` and race to generate different ENCRYPTION_KEYs.
 * Each suite gets its own state (`test-results/e2e-state/<suite>`) and, when `E2E_PORT` is set, its own port
 * (E2E_PORT + its index); a suite's output is printed whole when it ends, then a table of durations.
 * Usage: `tsx e2e/run.ts [suite …]` (e.g. `tsx e2e/run.ts widget mcp`; default: all of SUITES).
 */
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildUi, root } from '../scripts/build-ui.ts';
import { ensureDevVars } from '../scripts/lib/dev-vars.ts';
import { migrateState } from './harness.ts';

interface Suite {
  name: string;
  /** Mostly waits (not on the CPU): runs outside the E2E_JOBS slots. */
  idle?: boolean;
}

/**
 * Longest first, so the last slot to free up is not left holding a long suite (measured durations in docs/ci.md).
 * pipeline-editor.e2e.ts is not here: its steps run inside dashboard.e2e.ts.
 */
export const SUITES: readonly Suite[] = [
  { name: 'local-cron', idle: true },
  { name: 'dashboard' },
  { name: 'widget' },
  { name: 'knowledge' },
  { name: 'tool-approval' },
  { name: 'pipelines' },
  { name: 'mcp' },
  { name: 'custom-actions' },
  // Waits ≈ 45 s, but in a slot: its N + 2 s timing budget is measured with no other suite competing for the cores.
  { name: 'timeout-restart' },
];

interface Outcome {
  name: string;
  code: number;
  seconds: number;
}

/** The 2 shared cores of CI: a third browser suite at once only slows the other two (docs/ci.md). */
const jobs = Math.max(1, Number(process.env.E2E_JOBS) || 2);
/** Migrated once here; each suite's harness copies it into its own state. */
const MIGRATED_STATE = 'test-results/e2e-state/migrated';
const basePort = process.env.E2E_PORT ? Number(process.env.E2E_PORT) : undefined;

function runSuite(suite: Suite, index: number): Promise<Outcome> {
  const started = Date.now();
  console.log(`▶ ${suite.name}`);
  const child = spawn(resolve(root, 'node_modules/.bin/tsx'), [`e2e/${suite.name}.e2e.ts`], {
    cwd: root,
    env: {
      ...process.env,
      E2E_STATE: `test-results/e2e-state/${suite.name}`,
      E2E_UI_BUILT: '1',
      E2E_MIGRATED_STATE: MIGRATED_STATE,
      ...(basePort !== undefined && { E2E_PORT: String(basePort + index) }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk;
  });
  return new Promise((done) => {
    child.on('close', (code, signal) => {
      const seconds = Math.round((Date.now() - started) / 1000);
      const status = code === 0 ? 'passed' : `FAILED (${signal ?? `exit ${code}`})`;
      console.log(`\n── ${suite.name}.e2e.ts: ${status} in ${seconds} s ──\n${output.trimEnd()}\n`);
      done({ name: suite.name, code: code ?? 1, seconds });
    });
  });
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !SUITES.some((suite) => suite.name === name));
if (unknown.length > 0) throw new Error(`unknown suite(s): ${unknown.join(', ')}`);
const selected = SUITES.filter((suite) => wanted.length === 0 || wanted.includes(suite.name));

const started = Date.now();
await ensureDevVars(resolve(root, '.dev.vars'));
await buildUi();
await rm(resolve(root, MIGRATED_STATE), { recursive: true, force: true });
await migrateState(resolve(root, MIGRATED_STATE));
console.log(`UI built and D1 migrated in ${Math.round((Date.now() - started) / 1000)} s`);
const indexOf = (suite: Suite) => SUITES.indexOf(suite);
const idle = selected.filter((suite) => suite.idle).map((suite) => runSuite(suite, indexOf(suite)));
const queue = selected.filter((suite) => !suite.idle);
const outcomes: Outcome[] = [];
await Promise.all([
  ...idle.map(async (run) => outcomes.push(await run)),
  ...Array.from({ length: jobs }, async () => {
    for (let suite = queue.shift(); suite; suite = queue.shift()) outcomes.push(await runSuite(suite, indexOf(suite)));
  }),
]);

console.log(`e2e: ${Math.round((Date.now() - started) / 1000)} s with ${jobs} at a time`);
for (const { name, code, seconds } of outcomes)
  console.log(`  ${code === 0 ? '✓' : '✗'} ${name.padEnd(16)} ${String(seconds).padStart(4)} s`);
if (outcomes.some((outcome) => outcome.code !== 0)) process.exitCode = 1;

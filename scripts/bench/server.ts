/// <reference types="node" />
/**
 * Local workerd servers for the benchmark. A Worker is bundled once with `wrangler deploy --dry-run --outdir` (the
 * exact code a deploy uploads, also what the bundle size is measured on) and served by `wrangler dev --no-bundle`
 * on a free loopback port with its own state directory. Serving the bundle, not the sources, keeps the run on one
 * snapshot of the code: `wrangler dev` would otherwise rebuild and restart the Worker, dropping every conversation,
 * whenever someone saves a file under worker/ mid-run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { root } from '../build-ui.ts';
import { wrangler } from '../lib/wrangler.ts';

const WRANGLER = resolve(root, 'node_modules/.bin/wrangler');
const HEALTH_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 5_000;

export interface Bundle {
  entry: string;
  /** JavaScript modules as uploaded, in bytes (source maps and the README wrangler adds are left out). */
  rawBytes: number;
  /** The same, each module gzipped at level 9. */
  gzipBytes: number;
  /** wrangler's own "Total Upload … / gzip: …" line. */
  wranglerSummary: string;
}

/** `wrangler deploy --dry-run --outdir`: bundles the Worker of `config` without deploying it. */
export async function bundleWorker(config: string, outdir: string): Promise<Bundle> {
  const output = await wrangler(['deploy', '--dry-run', '--config', config, '--outdir', outdir], { quiet: true });
  const modules = (await readdir(outdir)).filter((file) => /(\.(m?js|cjs|wasm)|-wasm)$/.test(file));
  const main = modules.find((file) => /\.m?js$/.test(file));
  if (!main) throw new Error(`wrangler deploy --dry-run wrote no JavaScript to ${outdir}`);
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of modules) {
    const bytes = await readFile(join(outdir, file));
    rawBytes += bytes.length;
    gzipBytes += gzipSync(bytes, { level: 9 }).length;
  }
  const wranglerSummary = /Total Upload: ([^\n]+)/.exec(output)?.[1]?.trim() ?? '';
  return { entry: join(outdir, main), rawBytes, gzipBytes, wranglerSummary };
}

// USER_HZ: the unit of utime and stime in /proc/<pid>/stat; 100 on every mainstream Linux.
const CLOCK_TICKS_PER_SECOND = 100;

/** The processes of a process group (pgid) from /proc, with their `stat` fields after the command name. */
async function processGroup(pgid: number): Promise<{ pid: string; fields: string[] }[] | undefined> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return undefined;
  }
  const members: { pid: string; fields: string[] }[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = await readFile(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the command name, which is parenthesised and may contain spaces: state ppid pgrp … utime stime.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid) members.push({ pid: entry, fields });
  }
  return members;
}

/** CPU time of every process in a process group, from /proc (Linux only). */
async function processGroupCpuMs(pgid: number): Promise<number | undefined> {
  const members = await processGroup(pgid);
  if (!members) return undefined;
  const ticks = members.reduce((sum, { fields }) => sum + Number(fields[11]) + Number(fields[12]), 0);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * On-CPU time of every thread of a dev server so far, in nanoseconds, keyed by pid/tid, each marked as the
 * Worker's workerd or not (`/proc/<pid>/task/<tid>/schedstat`, whose first field is the thread's run time in ns:
 * `stat`'s utime and stime count 10 ms ticks, too coarse for the 20 turns of one conversation).
 */
export type CpuSnapshot = Map<string, { ns: number; worker: boolean }>;

/** CPU used between two snapshots, in ms: all of it, and the part of the workerd that runs the Worker. */
export interface CpuSplit {
  totalMs: number;
  workerMs: number;
}

async function threadsCpu(pgid: number, isWorker: (cmdline: string) => boolean): Promise<CpuSnapshot | undefined> {
  const members = await processGroup(pgid);
  if (!members) return undefined;
  const snapshot: CpuSnapshot = new Map();
  for (const { pid } of members) {
    try {
      const worker = isWorker((await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' '));
      for (const tid of await readdir(`/proc/${pid}/task`)) {
        const schedstat = await readFile(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').catch(() => undefined);
        if (schedstat) snapshot.set(`${pid}/${tid}`, { ns: Number(schedstat.split(' ')[0]), worker });
      }
    } catch {
      // exited meanwhile
    }
  }
  return snapshot;
}

/** Threads that started in between count whole; one that ended in between is lost (wrangler's stay up). */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): CpuSplit {
  let total = 0;
  let worker = 0;
  for (const [key, thread] of after) {
    const used = thread.ns - (before.get(key)?.ns ?? 0);
    total += used;
    if (thread.worker) worker += used;
  }
  return { totalMs: total / 1e6, workerMs: worker / 1e6 };
}

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface DevServer {
  name: string;
  port: number;
  origin: string;
  /** wrangler's DevTools inspector, for profiling a run by hand. */
  inspectorPort: number;
  /** CPU time (user + system) used so far by wrangler and its workerd processes; undefined off Linux. */
  cpuTimeMs(): Promise<number | undefined>;
  /**
   * Per-thread CPU so far (Linux only), telling apart the workerd that runs the Worker (its objects, the queue
   * consumer, and the local D1 and queue simulators) from wrangler's own processes: Node and the workerd of its dev
   * proxy, which forwards every request and WebSocket frame and does not exist deployed.
   */
  cpuSnapshot(): Promise<CpuSnapshot | undefined>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Kills every server still running (their whole process group: wrangler and its workerd). Safe to call twice. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child)));
}

/** Last resort on process exit (no time for a graceful stop): SIGKILL every server's process group. */
export function killAllNow(): void {
  for (const child of running) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  running.clear();
}

function stopChild(child: ChildProcess): Promise<void> {
  if (!running.has(child)) return Promise.resolve();
  return new Promise((resolveStop) => {
    const pid = child.pid;
    const done = () => {
      clearTimeout(timer);
      running.delete(child);
      resolveStop();
    };
    const signal = (name: NodeJS.Signals) => {
      try {
        // The negative pid addresses the process group started for this child (spawned detached).
        if (pid) process.kill(-pid, name);
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      signal('SIGKILL');
      done();
    }, STOP_GRACE_MS);
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', done);
    signal('SIGTERM');
  });
}

/**
 * Starts `wrangler dev` for an already bundled Worker and resolves once GET /health answers 200. Output is kept
 * and shown only if the server fails to start or exits early.
 */
export async function startDevServer(options: {
  name: string;
  config: string;
  entry: string;
  persistTo: string;
  envFile?: string;
  /** More Workers in the same `wrangler dev` (multi-config: bundled from their own `main`, sharing the state). */
  auxiliaryConfigs?: readonly string[];
  /** Every chunk of the server's output (stdout and stderr), e.g. the Worker's console lines at `logLevel` log. */
  onOutput?: (chunk: string) => void;
  logLevel?: 'warn' | 'log';
}): Promise<DevServer> {
  const port = await freePort();
  const inspectorPort = await freePort();
  const args = [
    'dev',
    options.entry,
    '--no-bundle',
    '--config',
    options.config,
    ...(options.auxiliaryConfigs ?? []).flatMap((config) => ['--config', config]),
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--inspector-ip',
    '127.0.0.1',
    '--inspector-port',
    String(inspectorPort),
    '--persist-to',
    options.persistTo,
    '--show-interactive-dev-session=false',
    '--log-level',
    options.logLevel ?? 'warn',
    ...(options.envFile ? ['--env-file', options.envFile] : []),
  ];
  const child = spawn(WRANGLER, args, {
    cwd: root,
    detached: true,
    env: { ...process.env, CI: '1', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    options.onOutput?.(chunk.toString());
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = `exited (${code ?? signal})`;
    running.delete(child);
  });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  for (;;) {
    if (exited) throw new Error(`wrangler dev for ${options.name} ${exited}:\n${output}`);
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(
        `wrangler dev for ${options.name} did not answer /health within ${HEALTH_TIMEOUT_MS} ms:\n${output}`,
      );
    }
    try {
      const res = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    name: options.name,
    port,
    origin,
    inspectorPort,
    cpuTimeMs: () => (child.pid ? processGroupCpuMs(child.pid) : Promise.resolve(undefined)),
    // The proxy's workerd listens on the public port; the Worker's own one on a port of its choosing.
    cpuSnapshot: () =>
      child.pid
        ? threadsCpu(
            child.pid,
            (cmdline) => /\/workerd serve /.test(cmdline) && !cmdline.includes(`entry=127.0.0.1:${port} `),
          )
        : Promise.resolve(undefined),
    stop: () => stopChild(child),
  };
}

/**
 * Runs a benchmark's `main` as a script: a hard time limit and Ctrl+C both kill every server it started (their whole
 * process groups), and a failure sets the exit code.
 */
export function runBench(name: string, main: () => Promise<void>, maxRunMs: number): void {
  const timer = setTimeout(() => {
    console.error(`${name}: out of time`);
    killAllNow();
    process.exit(1);
  }, maxRunMs);
  process.on('SIGINT', () => {
    killAllNow();
    process.exit(130);
  });
  main()
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => clearTimeout(timer));
}

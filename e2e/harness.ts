/// <reference types="node" />
/**
 * Starts a real `wrangler dev` of this project for the widget e2e run: its own --persist-to state under
 * test-results/e2e-state, migrations applied and the demo seeded (scripts/lib), the widget key allowing the host
 * page's origin. The host page (hostile CSS, embeds widget.js cross-origin) is served by a small Node server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { buildUi, root } from '../scripts/build-ui.ts';
import { LOCAL_CRON_FLAG } from '../scripts/dev-cron.ts';
import { ensureDevVars } from '../scripts/lib/dev-vars.ts';
import { seedSql } from '../scripts/lib/seed-sql.ts';
import { DEV_CONFIGS } from '../scripts/lib/worker-bundles.ts';
import { wrangler } from '../scripts/lib/wrangler.ts';
import { buildDemoSeed } from '../worker/seed/demo.ts';
import { addE2eChatbots } from './extra-bots.ts';
import { type FlakyProvider, startFlakyProvider } from './flaky-provider.ts';
import { hostPage } from './host-page.ts';

/**
 * Worker vars for the run (`wrangler dev --var`, documented in README.md): a token that expires within a step, and a
 * per-participant message quota small enough to exceed and short enough to recover from.
 */
export const E2E_VARS = {
  WIDGET_TOKEN_TTL_SECONDS: 12,
  WIDGET_RATE_LIMIT_PER_PARTICIPANT: 4,
  WIDGET_RATE_LIMIT_WINDOW_SECONDS: 10,
  // A local deployment: HTTP nodes may call fakes on 127.0.0.1, and email lands in the local sink (worker/env.ts).
  ALLOW_PRIVATE_OUTBOUND: 'true',
  EMAIL_SINK: 'local',
} as const;

export interface Harness {
  api: string;
  /** The run's local state (--persist-to), for steps that read or change it with `wrangler … --local`. */
  state: string;
  host: string;
  widgetKey: string;
  /** Widget keys of e2e/extra-bots.ts: a slow offline chatbot and one whose provider fails on demand. */
  slowKey: string;
  flakyKey: string;
  /** A chatbot whose tool calls need approval (e2e/extra-bots.ts). */
  toolsKey: string;
  flaky: FlakyProvider;
  /** The seeded team's API key (scope admin), for steps that prepare data through the API. */
  apiKey: string;
  /** The seeded owner's sign-in, for the dashboard run. */
  owner: { email: string; password: string };
  /** Stops `wrangler dev` and starts it again on the same port and state, as an operator restarting it would. */
  restartWorker(): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((ok) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => ok(port));
    });
  });
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    const ok = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Applies the D1 migrations to a fresh local state (`--persist-to dir`), as `npm start` does. */
export async function migrateState(dir: string): Promise<void> {
  await wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', dir], { quiet: true });
}

export async function startHarness(): Promise<Harness> {
  // E2E_STATE: a suite's own state when e2e/run.ts runs several side by side (each has its own wrangler dev).
  const state = resolve(root, process.env.E2E_STATE ?? 'test-results/e2e-state');
  await rm(state, { recursive: true, force: true });
  await mkdir(state, { recursive: true });
  // E2E_PORT pins the Worker's port (parallel runs on one machine each take their own); otherwise a free one.
  const apiPort = process.env.E2E_PORT ? Number(process.env.E2E_PORT) : await freePort();
  const hostPort = await freePort();
  const api = `http://127.0.0.1:${apiPort}`;
  const host = `http://127.0.0.1:${hostPort}`;
  // wrangler dev reads .dev.vars, so seal the seed's secrets with its ENCRYPTION_KEY; no LLM keys are passed, so the
  // demo chatbot uses the offline provider (deterministic, free, streams with a delay).
  const { ENCRYPTION_KEY } = await ensureDevVars(resolve(root, '.dev.vars'));
  const persist = ['--local', '--persist-to', state];
  // Where a suite's start-up goes (docs/ci.md): printed once the Worker answers.
  const phases: string[] = [];
  let mark = Date.now();
  const phase = (name: string) => {
    phases.push(`${name} ${((Date.now() - mark) / 1000).toFixed(1)} s`);
    mark = Date.now();
  };
  // e2e/run.ts migrates one state before the suites start and each copies it (saves a wrangler start per suite).
  const migrated = process.env.E2E_MIGRATED_STATE;
  if (migrated) await cp(resolve(root, migrated), state, { recursive: true });
  else await migrateState(state);
  phase(migrated ? 'migrated state copied' : 'migrations');
  const seed = await buildDemoSeed({ encryptionKey: ENCRYPTION_KEY as string, variables: {} });
  for (const key of seed.rows.widgetKeys) key.allowedOrigins = [host, api];
  const flaky = await startFlakyProvider();
  const { slowKey, flakyKey, toolsKey } = await addE2eChatbots(seed.rows, {
    encryptionKey: ENCRYPTION_KEY as string,
    teamId: seed.summary.teamId,
    origins: [host, api],
    flakyBaseUrl: flaky.url,
  });
  const sqlPath = resolve(state, 'seed.sql');
  await writeFile(sqlPath, seedSql(seed.rows));
  phase('seed build');
  await wrangler(['d1', 'execute', 'DB', ...persist, '--file', sqlPath], { quiet: true });
  phase('seed');
  // e2e/run.ts builds once before starting suites side by side: a rebuild would rewrite dist/public under the
  // other suites' wrangler dev.
  if (process.env.E2E_UI_BUILT !== '1') {
    await buildUi();
    phase('UI build');
  }

  let log = '';
  // The same command whether starting or restarting (restartWorker): the state under --persist-to carries over.
  const spawnDev = (): ChildProcess => {
    const child = spawn(
      resolve(root, 'node_modules/.bin/wrangler'),
      [
        'dev',
        // Both Workers, as `npm start` runs them: the request path serves the port, the ingestion Worker consumes
        // parley-ingest; --persist-to is shared by both (multi-config dev takes it from the first).
        ...DEV_CONFIGS,
        ...['--ip', '127.0.0.1', '--port', String(apiPort), '--persist-to', state, '--inspector-port', '0'],
        // The local Cron Trigger's route, as `npm start` has it (scripts/dev-cron.ts).
        LOCAL_CRON_FLAG,
        ...Object.entries(E2E_VARS).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
      ],
      {
        cwd: root,
        env: { ...process.env, CI: '1', WRANGLER_SEND_METRICS: 'false' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      log += chunk;
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk;
    });
    return child;
  };
  let dev = spawnDev();
  const server: Server = createServer((req, res) => {
    // `?key=` embeds another of the run's widget keys (e2e/extra-bots.ts); the default is the demo chatbot's.
    const url = new URL(req.url ?? '/', host);
    const page = hostPage(api, url.searchParams.get('key') ?? seed.summary.widgetKey);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      url.pathname.startsWith('/dark') ? page.replace('<html lang="en">', '<html lang="en" class="dark">') : page,
    );
  });
  await new Promise<void>((ok) => server.listen(hostPort, '127.0.0.1', ok));
  try {
    await waitFor(`${api}/health`, dev);
    phase('wrangler dev');
    console.log(`harness: ${phases.join(', ')}`);
  } catch (error) {
    console.error(log);
    dev.kill('SIGTERM');
    await flaky.close();
    throw error;
  }
  return {
    api,
    state,
    host,
    widgetKey: seed.summary.widgetKey,
    apiKey: seed.summary.apiKey,
    slowKey,
    flakyKey,
    toolsKey,
    flaky,
    owner: { email: seed.summary.ownerEmail, password: seed.summary.ownerPassword },
    async restartWorker() {
      const stopped = dev;
      const exited = new Promise((ok) => stopped.once('exit', ok));
      stopped.kill('SIGTERM');
      await exited;
      dev = spawnDev();
      await waitFor(`${api}/health`, dev);
    },
    async stop() {
      server.close();
      await flaky.close();
      const exited = new Promise((ok) => dev.once('exit', ok));
      dev.kill('SIGTERM');
      await exited;
    },
  };
}

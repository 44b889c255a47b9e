/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `wrangler dev` never fires Cron Triggers on its own (developers.cloudflare.com/workers/configuration/cron-triggers,
 * "Test Cron Triggers locally"): at the start of every minute this asks the local Worker to run each of
 * wrangler.toml's crons whose minute field matches. Supports the minute forms used there: `*` and `*\/N`.
 *
 * It calls `/__scheduled?cron=…`, the route wrangler's `--test-scheduled` flag adds inside the Worker's own bundle
 * (its `middleware-scheduled`), which runs the Worker's `scheduled` handler with `scheduledTime` = now. Not
 * `/cdn-cgi/handler/scheduled`: with `[assets]` configured, wrangler 4.86 sends that to the assets proxy, which has no
 * scheduled handler, and it answers `exception` without running the Worker (workers-sdk issue 9882, fixed by PR
 * 14177 in a later miniflare). So `npm start` and the e2e harness start wrangler dev with `--test-scheduled`.
 */
export const LOCAL_CRON_PATH = '/__scheduled';

/** The wrangler dev flag that serves LOCAL_CRON_PATH. */
export const LOCAL_CRON_FLAG = '--test-scheduled';

export function cronMatchesMinute(cron: string, minute: number): boolean {
  const field = cron.trim().split(/\s+/)[0] ?? '*';
  if (field === '*') return true;
  const step = /^\*\/(\d+)$/.exec(field);
  if (step) return minute % Number(step[1]) === 0;
  return field.split(',').some((value) => Number(value) === minute);
}

/** The `crons = [...]` of a wrangler.toml. */
export function cronsOf(toml: string): string[] {
  const line = /^crons\s*=\s*\[([^\]]*)\]/m.exec(toml);
  return line ? [...(line[1] ?? '').matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? '') : [];
}

/** Runs the Worker's `scheduled` handler for `cron` once, now; throws unless the handler finished without error. */
export async function runLocalCron(port: number, cron: string): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}${LOCAL_CRON_PATH}?cron=${encodeURIComponent(cron)}`);
  const text = await res.text();
  if (!res.ok || text !== 'Ran scheduled event') throw new Error(`${res.status} ${text.slice(0, 200)}`);
}

/** Fires the matching crons at each minute boundary until stopped; returns the stop function. */
export function startLocalCron(port: number, crons: readonly string[]): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    // The boundary this tick is for: a timer may run a millisecond early or late, never half a minute.
    const minute = Math.round(Date.now() / 60_000) % 60;
    for (const cron of crons.filter((c) => cronMatchesMinute(c, minute))) {
      runLocalCron(port, cron).catch((error: unknown) => console.warn(`local cron ${cron} failed: ${String(error)}`));
    }
    schedule();
  };
  const schedule = () => {
    timer = setTimeout(tick, 60_000 - (Date.now() % 60_000));
  };
  schedule();
  return () => clearTimeout(timer);
}

/**
 * What `npm start` runs (scripts/dev.ts) beside wrangler dev: wrangler.toml's own crons, on their schedule. The local
 * cron e2e (e2e/local-cron.e2e.ts) starts this same function, so it proves what `npm start` does.
 */
export function startProjectCron(port: number): () => void {
  const toml = resolve(dirname(fileURLToPath(import.meta.url)), '../wrangler.toml');
  return startLocalCron(port, cronsOf(readFileSync(toml, 'utf8')));
}

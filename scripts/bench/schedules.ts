/// <reference types="node" />
/**
 * `npm run bench:schedules`: issue 17's budget "1,000 schedules due in the same minute all fire, each exactly once",
 * on local workerd. Bundles Parley and starts it with fresh state (as `npm run bench` does), creates 1,000
 * participants and one schedule each over the API, all due at the same instant (the first second of a coming
 * minute), runs the Cron Trigger twice at once while they fire and twice again after (its sweep's `schedule.rearm`
 * messages are then the duplicates a redelivery would be), waits until every schedule is done, then reads each
 * schedule's attempts and its participant's conversations back over the API: fired, duplicates (replies beyond one
 * per schedule, must be 0), missing, and the latency from the due time to the reply's start and to its end.
 * Rewrites the schedules section of bench/README.md (`--no-write`: print only; `--count=N` for another size).
 */

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { root } from '../build-ui.ts';
import { startParley } from './parley.ts';
import { writeReadmeSection } from './readme-section.ts';
import { bundleWorker, type DevServer, runBench, stopAll } from './server.ts';
import { ms, type Summary, summarize } from './stats.ts';

const WRITE = !process.argv.includes('--no-write');
const COUNT = Number(/^--count=(\d+)$/.exec(process.argv.find((arg) => arg.startsWith('--count=')) ?? '')?.[1] ?? 1000);
/** Requests in flight from the client: wrangler dev's proxy and one local workerd serve them all. */
const CLIENTS = 8;
/** How long after the due time every schedule must be done before the run gives up. */
const FIRE_TIMEOUT_MS = 10 * 60_000;
const MAX_RUN_MS = 25 * 60_000;
const CRON = '* * * * *';
/** Later than the sweep's overdue margin (2 minutes, worker/schedules/reconcile.ts), so it sees every copy as overdue. */
const SWEEP_LATE_MS = 10 * 60_000;

interface Api {
  call<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
}

function api(server: DevServer, apiKey: string): Api {
  return {
    async call<T>(path: string, init: { method?: string; body?: unknown } = {}) {
      for (let attempt = 1; ; attempt++) {
        const res = await fetch(`${server.origin}${path}`, {
          method: init.method ?? 'GET',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
          // Generous: on a loaded 2-core machine one call may wait behind a thousand firings.
          signal: AbortSignal.timeout(120_000),
        });
        const text = await res.text();
        if (res.ok) return (text ? JSON.parse(text) : null) as T;
        // wrangler dev answers 503 when it reloaded the Worker mid-request: try again, a few times.
        if (res.status !== 503 || attempt >= 5)
          throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
        await new Promise((done) => setTimeout(done, 1000));
      }
    },
  };
}

/** Runs `task` over `items`, CLIENTS at a time. */
async function pool<T, R>(items: readonly T[], task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, worker));
  return results;
}

/** The local Cron Trigger, as scripts/dev-cron.ts fires it, at a chosen scheduled time. */
async function cron(server: DevServer, scheduledTime: number): Promise<void> {
  const url = `${server.origin}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(CRON)}&time=${scheduledTime}`;
  const res = await fetch(`${url}&format=json`, { signal: AbortSignal.timeout(180_000) });
  const result = await res.text();
  if (!res.ok) throw new Error(`cron: ${res.status} ${result}`);
}

const sleepUntil = (at: number) => new Promise((done) => setTimeout(done, Math.max(0, at - Date.now())));
const instant = (value: string | number) => (typeof value === 'number' ? value : Date.parse(value));

interface Created {
  participantId: string;
  scheduleId: string;
}

interface Measured {
  fired: number;
  duplicates: number;
  missing: number;
  failed: number;
  conversationsBeyondOne: number;
  /** Attempts whose outcome is not `ok`, by outcome and error. */
  otherOutcomes: string;
  started: Summary;
  written: Summary;
}

/** Reads back every schedule's attempts and its participant's replies; counts and times them. */
async function measure(client: Api, created: readonly Created[], dueAt: number): Promise<Measured> {
  const started: number[] = [];
  const written: number[] = [];
  let fired = 0;
  let duplicates = 0;
  let missing = 0;
  let failed = 0;
  let conversationsBeyondOne = 0;
  const otherOutcomes = new Map<string, number>();
  await pool(created, async ({ participantId, scheduleId }) => {
    const base = `/api/v1/participants/${participantId}`;
    const attempts = await client.call<{ data: { at: string; outcome: string; error: string | null }[] }>(
      `${base}/schedules/${scheduleId}/attempts`,
    );
    const ok = attempts.data.filter((attempt) => attempt.outcome === 'ok');
    for (const attempt of attempts.data) {
      if (attempt.outcome === 'ok') continue;
      // A failed attempt is one the object retries (`retrying`) or gave up on (`failed`); `duplicate` and `ended`
      // are answers, listed apart with their counts.
      if (attempt.outcome === 'retrying' || attempt.outcome === 'failed') failed++;
      const key = `${attempt.outcome}${attempt.error ? ` (${attempt.error.slice(0, 120)})` : ''}`;
      otherOutcomes.set(key, (otherOutcomes.get(key) ?? 0) + 1);
    }
    for (const attempt of ok) written.push(instant(attempt.at) - dueAt);
    const conversations = await client.call<{ data: { id: string }[] }>(`${base}/conversations?limit=100`);
    conversationsBeyondOne += Math.max(0, conversations.data.length - 1);
    let replies = 0;
    for (const conversation of conversations.data) {
      const messages = await client.call<{
        data: { role: string; createdAt: string | number; metadata: { event?: { type?: string; id?: string } } }[];
      }>(`/api/v1/conversations/${conversation.id}/messages?limit=100`);
      for (const message of messages.data) {
        if (message.role !== 'assistant' || message.metadata.event?.id !== scheduleId) continue;
        replies++;
        started.push(instant(message.createdAt) - dueAt);
      }
    }
    if (replies === 0) missing++;
    else fired++;
    duplicates += Math.max(0, replies - 1) + Math.max(0, ok.length - 1);
  });
  return {
    fired,
    duplicates,
    missing,
    failed,
    conversationsBeyondOne,
    otherOutcomes: [...otherOutcomes].map(([what, n]) => `${n} × ${what}`).join(', ') || 'none',
    started: summarize(started),
    written: summarize(written),
  };
}

async function doneCount(client: Api): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const page: { data: unknown[]; nextCursor: string | null } = await client.call(
      `/api/v1/schedules?status=done&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    count += page.data.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}

/**
 * wrangler.toml without `[assets]`: with assets, wrangler 4.86's local `/cdn-cgi/handler/scheduled` reaches the
 * assets router, which has no `scheduled` handler, and answers `exception` without running the Worker
 * (workers-sdk issue 9882, fixed in a later miniflare by PR 14177). The run serves no assets.
 */
async function cronableConfig(): Promise<string> {
  const toml = await readFile(resolve(root, 'wrangler.toml'), 'utf8');
  const withoutAssets = toml.replace(/\n\[assets\][\s\S]*?(?=\n\[)/, '\n');
  if (withoutAssets === toml) throw new Error('wrangler.toml has no [assets] block to leave out');
  // Paths in a wrangler config are relative to it, so the copy sits next to the original.
  const path = resolve(root, 'wrangler.bench-schedules.toml');
  await writeFile(path, withoutAssets);
  return path;
}

async function main() {
  const config = await cronableConfig();
  const stateDir = resolve(root, '.wrangler/bench-schedules-state');
  await rm(stateDir, { recursive: true, force: true });
  await mkdir(stateDir, { recursive: true });
  const bundle = await bundleWorker(config, resolve(stateDir, 'bundle'));
  // Quotas out of the way: the run makes thousands of requests with one key from one address.
  const { server, seed } = await startParley(stateDir, bundle, config, {
    RATE_LIMIT_PER_KEY: '10000000',
    RATE_LIMIT_PER_IP: '10000000',
  });
  try {
    const client = api(server, seed.apiKey);
    const setupStart = Date.now();
    const participants = await pool(
      Array.from({ length: COUNT }, (_, i) => i),
      async (i) =>
        (await client.call<{ id: string }>(`/api/v1/participants/api/bench-schedule-${i}`, { method: 'PUT', body: {} }))
          .id,
    );
    // Due at the first second of a minute far enough ahead for creating them all (measured: ≈ 60 per second on an idle
    // machine, ≈ 12 per second with other work on its 2 cores): creating must never overlap the firing it measures.
    const creation = Math.max(20_000, COUNT * 100);
    const dueAt = Math.ceil((Date.now() + creation) / 60_000) * 60_000;
    const at = new Date(dueAt).toISOString();
    const createStart = Date.now();
    const created = await pool(participants, async (participantId, i) => {
      const schedule = await client.call<{ id: string }>(`/api/v1/participants/${participantId}/schedules`, {
        method: 'POST',
        body: { chatbotId: seed.chatbotId, prompt: `Benchmark reminder ${i}`, at },
      });
      return { participantId, scheduleId: schedule.id };
    });
    const createdIn = Date.now() - createStart;
    if (Date.now() >= dueAt) throw new Error(`creating ${COUNT} schedules ran past their due time: rerun`);
    console.error(`${COUNT} schedules created in ${(createdIn / 1000).toFixed(1)} s; due at ${at}`);

    // While they fire: the cron twice at once, at a scheduled time late enough that every copy still active is
    // overdue by the sweep's margin (the sweep then re-arms those objects through the queue).
    const cronAt = Math.ceil((dueAt + SWEEP_LATE_MS) / 300_000) * 300_000;
    await sleepUntil(dueAt + 2_000);
    await Promise.all([cron(server, cronAt), cron(server, cronAt)]);
    let done = 0;
    for (;;) {
      // A poll may time out while 1,000 objects fire on the same local workerd: that is "not yet", not a failure.
      done = await doneCount(client).catch(() => done);
      console.error(`${done} done ${((Date.now() - dueAt) / 1000).toFixed(0)} s after the due time`);
      if (done >= COUNT || Date.now() > dueAt + FIRE_TIMEOUT_MS) break;
      await new Promise((wait) => setTimeout(wait, 2_000));
    }
    const allDoneAfter = Date.now() - dueAt;
    // And after: the cron twice more (the copies are done now; a stale one would wake its object, which fires nothing).
    await Promise.all([cron(server, cronAt), cron(server, cronAt + 300_000)]);
    await new Promise((wait) => setTimeout(wait, 5_000));
    const result = await measure(client, created, dueAt);
    const cpu = await server.cpuTimeMs();

    const verdict =
      result.fired === COUNT && result.duplicates === 0 && result.missing === 0
        ? `**Budget met:** all ${COUNT} fired, each exactly once.`
        : `**Budget missed:** ${result.fired} of ${COUNT} fired, ${result.duplicates} duplicate(s), ${result.missing} missing.`;
    const range = (s: Summary) => `${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.max)}`;
    const section = [
      `Measured ${new Date().toISOString().slice(0, 16)}Z on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ${loadavg()[0]?.toFixed(2)} at the end.`,
      '',
      '| schedules (participants) | fired | duplicates | missing | failed attempts | extra conversations | due → reply starts, ms p50 / p95 / max | due → reply written, ms p50 / p95 / max | all done (D1 copy) after |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      `| ${COUNT} (${COUNT}) | ${result.fired} | ${result.duplicates} | ${result.missing} | ${result.failed} | ${result.conversationsBeyondOne} | ${range(result.started)} | ${range(result.written)} | ${(allDoneAfter / 1000).toFixed(1)} s |`,
      '',
      `${verdict} One schedule per participant, all due at the same instant (${at.slice(11, 19)} UTC), created over the API in ${(createdIn / 1000).toFixed(1)} s beforehand (setup ${((createStart - setupStart) / 1000).toFixed(1)} s for the participants); the zero-latency offline chatbot of \`npm run bench\`. The Cron Trigger ran twice at once 2 s after the due time and twice more once all were done, each with a scheduled time whose sweep sees every still-active copy as overdue, so re-arm messages reached objects that were firing or had fired. "Reply starts" is the bot reply's \`createdAt\` (the turn began), "written" the attempt's log time (the reply stored). Everything runs in one local workerd on ${cpus().length} cores: ${COUNT} participant objects, ${COUNT} conversation objects, D1 and the queue consumer share them, so the tail is queueing on this machine; deployed, objects run spread over machines. Server CPU (wrangler + workerd) for the whole run: ${cpu === undefined ? 'n/a' : `${(cpu / 1000).toFixed(1)} s`}. "Failed attempts" counts attempts the object retried or gave up on; attempts other than ok: ${result.otherOutcomes}.${done < COUNT ? ` **Only ${done} were done ${FIRE_TIMEOUT_MS / 60_000} minutes after the due time.**` : ''}`,
    ].join('\n');
    console.log(section);
    if (WRITE) await writeReadmeSection(resolve(root, 'bench/README.md'), 'bench:schedules', section);
    if (result.fired !== COUNT || result.duplicates > 0) process.exitCode = 1;
  } finally {
    await stopAll();
    await rm(config, { force: true });
  }
}

runBench('bench:schedules', main, MAX_RUN_MS);

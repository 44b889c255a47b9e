/// <reference types="node" />
/**
 * What a cold first load of widget.js spends before the launcher is on screen, measured in headless Chromium from
 * a DevTools Protocol trace (Tracing domain) of each load. Every load runs in a fresh browser context: empty HTTP
 * cache, no V8 code cache, no localStorage, as for a visitor's first page view. The page is e2e/host-page.ts (the
 * README snippet, `async`), served with dist/public/widget.js from one loopback server; no API call happens before
 * the visitor opens the chat, so none is served.
 *
 * Usage: `npm run size -- --cold-load [runs]` (default 25 runs), or `tsx scripts/launcher-cold-load.ts [runs] [other
 * widget.js files…]` to compare bundles (e.g. the one of the previous commit) in one interleaved run.
 * Prints median and p95 of each phase (bench/README.md, "Widget launcher, cold load").
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { hostPage } from '../e2e/host-page.ts';
import { widgetOutfile } from './build-ui.ts';
import { launchChromium } from './lib/chromium.ts';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time, µs: unlike wall time, barely affected by other processes competing for the cores. */
  tts?: number;
  tdur?: number;
  tid: number;
  args?: { data?: { url?: string; requestId?: string }; fileName?: string };
}

/** One load's phases in ms; `visible` and the rest are relative to the widget's first line running (`parley:start`). */
export interface ColdLoad {
  /** widget.js request sent → response finished. */
  fetch: number;
  /** Parse and compile: streamed on a background thread while downloading, plus the main thread's part. */
  compile: number;
  /** The whole script evaluation on the main thread (lazy compilation of the functions it calls included). */
  evaluate: number;
  /** parley:start → parley:launcher: the launcher is in the shadow root's DOM. */
  launcherInDom: number;
  /** parley:start → parley:ready: the Preact UI has taken over (same as launcherInDom when it renders the launcher). */
  ready: number;
  /** Style recalculation and layout between the launcher entering the DOM and the frame that paints it. */
  styleLayout: number;
  /** parley:start → the end of the first Paint after the launcher entered the DOM: the launcher is on screen. */
  visible: number;
  /** The same phases in main-thread CPU time (thread clock), which a busy machine distorts far less. */
  cpu: { evaluate: number; launcherInDom: number; ready: number; styleLayout: number; visible: number };
}

const CATEGORIES = ['devtools.timeline', 'blink.user_timing', 'loading', 'v8'];
const isWidget = (event: TraceEvent) => (event.args?.data?.url ?? event.args?.fileName ?? '').endsWith('/widget.js');

export function phases(events: TraceEvent[]): ColdLoad {
  const mark = (name: string) => events.find((event) => event.name === name);
  const start = mark('parley:start');
  const launcher = mark('parley:launcher');
  if (!start || !launcher) throw new Error('the trace has no parley:start / parley:launcher marks');
  const ready = mark('parley:ready') ?? launcher;
  const main = start.tid;
  const first = (name: string, test: (event: TraceEvent) => boolean = isWidget) =>
    events.find((event) => event.name === name && test(event));
  const ms = (from: number, to: number) => (to - from) / 1000;
  const sent = first('ResourceSendRequest');
  const request = sent?.args?.data?.requestId;
  const finished = first('ResourceFinish', (event) => request !== undefined && event.args?.data?.requestId === request);
  const paint = events.find((event) => event.name === 'Paint' && event.tid === main && event.ts > launcher.ts);
  if (!paint) throw new Error('no Paint after the launcher entered the DOM');
  const duration = (test: (event: TraceEvent) => boolean, field: 'dur' | 'tdur' = 'dur') =>
    events.filter(test).reduce((sum, event) => sum + (event[field] ?? 0) / 1000, 0);
  const thread = (event: TraceEvent) => event.tts ?? Number.NaN;
  const styleLayout = (event: TraceEvent) =>
    event.tid === main &&
    ['UpdateLayoutTree', 'Layout'].includes(event.name) &&
    event.ts > launcher.ts &&
    event.ts < paint.ts;
  return {
    fetch: sent && finished ? ms(sent.ts, finished.ts) : Number.NaN,
    compile: duration((event) => ['v8.parseOnBackground', 'v8.compile'].includes(event.name) && isWidget(event)),
    evaluate: duration((event) => event.name === 'EvaluateScript' && isWidget(event)),
    launcherInDom: ms(start.ts, launcher.ts),
    ready: ms(start.ts, ready.ts),
    styleLayout: duration(styleLayout),
    visible: ms(start.ts, paint.ts + (paint.dur ?? 0)),
    cpu: {
      evaluate: duration((event) => event.name === 'EvaluateScript' && isWidget(event), 'tdur'),
      launcherInDom: ms(thread(start), thread(launcher)),
      ready: ms(thread(start), thread(ready)),
      styleLayout: duration(styleLayout, 'tdur'),
      visible: ms(thread(start), thread(paint) + (paint.tdur ?? 0)),
    },
  };
}

async function coldLoad(browser: Browser, url: string): Promise<ColdLoad> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  try {
    const page = await context.newPage();
    await browser.startTracing(page, { categories: CATEGORIES });
    await page.goto(url);
    await page.locator('parley-widget .launcher').waitFor();
    // Let the frame that shows the launcher (and the Preact render after it) finish before the trace stops.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100))));
    const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
    return phases(trace.traceEvents.sort((a, b) => a.ts - b.ts));
  } finally {
    await context.close();
  }
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * `runs` cold loads of each bundle (default: the built widget.js), interleaved so that a busy machine slows every
 * variant alike. Bundle i is served under /v<i>/ (its page at /v<i>/, its script at /v<i>/widget.js).
 */
export async function measureColdLoads(runs: number, files: string[] = [widgetOutfile]): Promise<ColdLoad[][]> {
  const scripts = await Promise.all(files.map((file) => readFile(file)));
  const server = createServer((req, res) => {
    const [, variant = '', rest = ''] = /^\/v(\d+)\/(.*)$/.exec(req.url ?? '') ?? [];
    const script = scripts[Number(variant)];
    if (!script) return void res.writeHead(404).end();
    if (rest.startsWith('widget.js')) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(script);
      return;
    }
    const { port } = server.address() as AddressInfo;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(hostPage(`http://127.0.0.1:${port}/v${variant}`, 'wk_cold_load'));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  try {
    const loads: ColdLoad[][] = files.map(() => []);
    // The first load warms the browser process and the OS file cache, not the page: discarded.
    await coldLoad(browser, `${base}/v0/`);
    for (let i = 0; i < runs; i++) {
      for (const [variant, results] of loads.entries()) results.push(await coldLoad(browser, `${base}/v${variant}/`));
    }
    return loads;
  } finally {
    await browser.close();
    server.close();
  }
}

export function coldLoadTable(loads: ColdLoad[]): string {
  type Phase = Exclude<keyof ColdLoad, 'cpu'>;
  const rows: [Phase, string][] = [
    ['fetch', 'widget.js download (loopback)'],
    ['compile', 'parse + compile (background stream + main thread)'],
    ['evaluate', 'script evaluation on the main thread'],
    ['launcherInDom', 'parley:start → launcher in the DOM'],
    ['ready', 'parley:start → Preact UI rendered'],
    ['styleLayout', 'style + layout before the launcher’s first paint'],
    ['visible', '**parley:start → launcher painted**'],
  ];
  const stat = (values: number[]) =>
    Number.isNaN(values[0] ?? Number.NaN)
      ? '–'
      : `${percentile(values, 50).toFixed(1)} / ${percentile(values, 95).toFixed(1)}`;
  const lines = [
    `| phase (${loads.length} cold loads) | wall ms, median / p95 | main-thread CPU ms, median / p95 |`,
    '| --- | ---: | ---: |',
  ];
  const cpuPhases: readonly string[] = ['evaluate', 'launcherInDom', 'ready', 'styleLayout', 'visible'];
  for (const [key, label] of rows) {
    const cpu = cpuPhases.includes(key) ? stat(loads.map((load) => load.cpu[key as keyof ColdLoad['cpu']])) : '–';
    lines.push(`| ${label} | ${stat(loads.map((load) => load[key]))} | ${cpu} |`);
  }
  return lines.join('\n');
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  // `tsx scripts/launcher-cold-load.ts [runs] [other widget.js…]`: the built widget.js, then each other bundle.
  const [runs = '25', ...others] = process.argv.slice(2);
  const files = [widgetOutfile, ...others];
  const results = await measureColdLoads(Number(runs), files);
  for (const [index, loads] of results.entries()) console.log(`\n${files[index]}\n\n${coldLoadTable(loads)}`);
}

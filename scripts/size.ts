/// <reference types="node" />
/**
 * Builds the UI, then checks the bytes a visitor downloads against the budgets:
 *   - widget.js, loaded on every customer page (the launcher and `window.Parley`): ≤ 12 KB gzip;
 *   - widget-ui.js, the chat UI (Preact included) widget.js loads when the chat is needed: ≤ 12 KB gzip;
 *   - the dashboard's initial JS (app.js and the chunks it imports statically): ≤ 60 KB gzip;
 *   - the pipeline editor's lazy chunk (views/pipeline/PipelineEditor.tsx and the chunks it alone brings): ≤ 80 KB.
 * Then bundles both Workers as `wrangler deploy` would (scripts/lib/worker-bundles.ts): the request path
 * (wrangler.toml) and the ingestion Worker (wrangler.ingest.toml), each against Cloudflare's 10 MB gzip script limit
 * (Workers Paid), and the request path must contain no document parser (esbuild's metafile lists its inputs).
 * Prints markdown tables and exits 1 when a budget is exceeded. Usage: `tsx scripts/size.ts`.
 * `tsx scripts/size.ts --cold-load [runs]` also measures the launcher's cold first load in Chromium
 * (scripts/launcher-cold-load.ts; bench/README.md); `--startup [runs]` runs `wrangler check startup` on both
 * Workers (default 5 runs each) and prints the median startup CPU.
 */
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { buildUi, dashboardEntry, root, widgetOutfile, widgetUiOutfile } from './build-ui';
import { coldLoadTable, measureColdLoads } from './launcher-cold-load';
import { measureWorker, profileStartup, WORKERS } from './lib/worker-bundles.ts';

const KB = 1024;

interface Budget {
  name: string;
  files: string[];
  limitGzip: number;
}

interface Measured extends Budget {
  raw: number;
  gzip: number;
}

/** `entry` and every chunk reachable from it through static imports (dynamic imports load later, on demand). */
function staticClosure(metafile: Metafile, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (output: string) => {
    if (seen.has(output)) return;
    seen.add(output);
    for (const imported of metafile.outputs[output]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(relative(root, entry));
  return [...seen].map((output) => resolve(root, output));
}

/** The chunk esbuild emitted for a dynamically imported module, plus what it loads that the initial JS has not. */
function lazyClosure(metafile: Metafile, source: string, initial: readonly string[]): string[] {
  const entry = Object.entries(metafile.outputs).find(([, output]) => output.entryPoint === source)?.[0];
  if (!entry) throw new Error(`no lazy chunk for ${source}: is it still imported with import()?`);
  const loaded = new Set(initial);
  return staticClosure(metafile, resolve(root, entry)).filter((file) => !loaded.has(file));
}

async function measure(budget: Budget): Promise<Measured> {
  let raw = 0;
  let gzip = 0;
  for (const file of budget.files) {
    const bytes = await readFile(file);
    raw += bytes.length;
    // Per file, as each is served and compressed on its own.
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { ...budget, raw, gzip };
}

const kb = (bytes: number) => `${(bytes / KB).toFixed(2)} KB`;

const { dashboard, durationMs } = await buildUi();
const initialJs = staticClosure(dashboard, dashboardEntry);
const budgets: Budget[] = [
  { name: 'widget.js', files: [widgetOutfile], limitGzip: 12 * KB },
  { name: 'widget-ui.js (on demand)', files: [widgetUiOutfile], limitGzip: 12 * KB },
  { name: 'dashboard initial JS', files: initialJs, limitGzip: 60 * KB },
  {
    name: 'pipeline editor (lazy)',
    files: lazyClosure(dashboard, 'dashboard/src/views/pipeline/PipelineEditor.tsx', initialJs),
    limitGzip: 80 * KB,
  },
];
const results = await Promise.all(budgets.map(measure));

console.log(`Built in ${Math.round(durationMs)} ms\n`);
console.log('| Bundle | Files | Raw | Gzip | Budget (gzip) | Status |');
console.log('| --- | --- | ---: | ---: | ---: | --- |');
for (const result of results) {
  const files = result.files.map((file) => `\`${relative(resolve(root, 'dist/public'), file)}\``).join(', ');
  const status = result.gzip <= result.limitGzip ? '✅ ok' : '❌ over';
  console.log(
    `| ${result.name} | ${files} | ${kb(result.raw)} | ${kb(result.gzip)} | ${kb(result.limitGzip)} | ${status} |`,
  );
}

const over = results.filter((result) => result.gzip > result.limitGzip);
if (over.length > 0) {
  for (const result of over) {
    console.error(
      `\n${result.name} is ${kb(result.gzip - result.limitGzip)} gzip over its ${kb(result.limitGzip)} budget`,
    );
  }
  process.exitCode = 1;
}

/** Cloudflare's script size limit on Workers Paid, compressed (developers.cloudflare.com/workers/platform/limits). */
const WORKER_LIMIT_GZIP = 10 * KB * KB;
const workers = [];
for (const worker of WORKERS) workers.push(await measureWorker(worker));
console.log('\n| Worker | Config | Raw | Gzip (wrangler) | Parser modules | Budget (gzip) | Status |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | --- |');
for (const [i, bundle] of workers.entries()) {
  const parsersOk = WORKERS[i]?.parsersAllowed || bundle.parserInputs.length === 0;
  const ok = parsersOk && bundle.gzip <= WORKER_LIMIT_GZIP;
  const gzip = bundle.wranglerGzipKiB === null ? kb(bundle.gzip) : `${bundle.wranglerGzipKiB.toFixed(2)} KB`;
  console.log(
    `| ${bundle.name} | \`${bundle.config}\` | ${kb(bundle.raw)} | ${gzip} | ${bundle.parserInputs.length} | ${kb(WORKER_LIMIT_GZIP)} | ${ok ? '✅ ok' : '❌ over'} |`,
  );
  if (!parsersOk) {
    console.error(`\n${bundle.name} bundles document parsers: ${bundle.parserInputs.slice(0, 5).join(', ')}…`);
    process.exitCode = 1;
  } else if (!ok) {
    console.error(`\n${bundle.name} is over Cloudflare's ${kb(WORKER_LIMIT_GZIP)} gzip script limit`);
    process.exitCode = 1;
  }
}

const startup = process.argv.indexOf('--startup');
if (startup >= 0) {
  const runs = Number(process.argv[startup + 1]) || 5;
  console.log(`\n\`wrangler check startup\`, CPU of the startup profile (non-idle samples), ${runs} runs:\n`);
  console.log('| Worker | median ms | min ms | max ms |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const worker of WORKERS) {
    const ms = (await profileStartup(worker.config, runs)).sort((a, b) => a - b);
    const median = ms[Math.floor(ms.length / 2)] ?? 0;
    console.log(
      `| ${worker.name} | ${median.toFixed(0)} | ${(ms[0] ?? 0).toFixed(0)} | ${(ms.at(-1) ?? 0).toFixed(0)} |`,
    );
  }
}

const coldLoad = process.argv.indexOf('--cold-load');
if (coldLoad >= 0) {
  const runs = Number(process.argv[coldLoad + 1]) || 25;
  console.log(
    `\nLauncher cold load (scripts/launcher-cold-load.ts):\n\n${coldLoadTable((await measureColdLoads(runs))[0] ?? [])}`,
  );
}

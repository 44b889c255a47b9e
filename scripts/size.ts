/// <reference types="node" />
/**
 * Builds the UI, then checks the bytes a visitor downloads against the budgets:
 *   - widget.js, loaded on every customer page (the launcher and `window.Parley`): ≤ 12 KB gzip;
 *   - widget-ui.js, the chat UI (Preact included) widget.js loads when the chat is needed: ≤ 12 KB gzip;
 *   - the dashboard's initial JS (app.js and the chunks it imports statically): ≤ 60 KB gzip;
 *   - the pipeline editor's lazy chunk (views/pipeline/PipelineEditor.tsx and the chunks it alone brings): ≤ 80 KB.
 * Prints a markdown table and exits 1 when a budget is exceeded. Usage: `tsx scripts/size.ts`.
 * `tsx scripts/size.ts --cold-load [runs]` also measures the launcher's cold first load in Chromium
 * (scripts/launcher-cold-load.ts; bench/README.md).
 */
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { buildUi, dashboardEntry, root, widgetOutfile, widgetUiOutfile } from './build-ui';
import { coldLoadTable, measureColdLoads } from './launcher-cold-load';

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

const coldLoad = process.argv.indexOf('--cold-load');
if (coldLoad >= 0) {
  const runs = Number(process.argv[coldLoad + 1]) || 25;
  console.log(
    `\nLauncher cold load (scripts/launcher-cold-load.ts):\n\n${coldLoadTable((await measureColdLoads(runs))[0] ?? [])}`,
  );
}

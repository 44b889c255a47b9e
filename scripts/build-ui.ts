/// <reference types="node" />
/**
 * Builds the two browser apps into `dist/public`, which wrangler serves as static assets:
 *
 *   widget/src/main.tsx     → dist/public/widget.js            (IIFE, embedded on customers' sites: the launcher)
 *   widget/src/app.tsx      → dist/public/widget-ui.js         (IIFE, the chat UI widget.js loads on demand)
 *   dashboard/src/main.tsx  → dist/public/dashboard/app.js     (ESM + chunks/, app.css)
 *   dashboard/index.html    → dist/public/dashboard/index.html
 *   widget/src/locales.ts   → dist/public/widget-l10n/<code>.js (the widget's translations, loaded on demand)
 *   widget/demo.html        → dist/public/widget-demo.html
 *   (generated)             → dist/public/index.html           (redirects to /dashboard/)
 *
 * Usage: `tsx scripts/build-ui.ts [--watch]`.
 */
import { watch as watchFile } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BuildOptions, Metafile, Plugin } from 'esbuild';
import * as esbuild from 'esbuild';
import { translations } from '../widget/src/locales.ts';
import { headersFile } from '../worker/http/security-headers.ts';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const outDir = resolve(root, 'dist/public');
export const widgetOutfile = resolve(outDir, 'widget.js');
export const widgetUiOutfile = resolve(outDir, 'widget-ui.js');
export const dashboardOutDir = resolve(outDir, 'dashboard');
export const dashboardEntry = resolve(dashboardOutDir, 'app.js');

const staticCopies: readonly (readonly [from: string, to: string])[] = [
  [resolve(root, 'dashboard/index.html'), resolve(dashboardOutDir, 'index.html')],
  [resolve(root, 'dashboard/favicon.svg'), resolve(dashboardOutDir, 'favicon.svg')],
  [resolve(root, 'widget/demo.html'), resolve(outDir, 'widget-demo.html')],
];

// The root of the site has nothing of its own yet; keep any fragment (`#key=…`) on the way to the dashboard.
const rootIndexHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Parley</title>
<meta http-equiv="refresh" content="0; url=/dashboard/">
<script>location.replace('/dashboard/' + location.hash);</script>
</head>
<body><p>Redirecting to the <a href="/dashboard/">Parley dashboard</a>…</p></body>
</html>
`;

export interface UiBuildResult {
  widget: Metafile;
  dashboard: Metafile;
  durationMs: number;
}

/** The widget ships its stylesheet inside its shadow root, so CSS files become minified strings in the bundle. */
const cssAsMinifiedText: Plugin = {
  name: 'css-as-minified-text',
  setup(build) {
    build.onLoad({ filter: /\.css$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const { code } = await esbuild.transform(source, { loader: 'css', minify: true, target: 'chrome90' });
      // esbuild keeps custom property values verbatim; drop the spaces it leaves in them (no strings in our CSS).
      return { contents: code.trim().replace(/:\s+/g, ':').replace(/,\s+/g, ','), loader: 'text' };
    });
  },
};

const shared = (watch: boolean): BuildOptions => ({
  bundle: true,
  minify: !watch,
  sourcemap: watch ? 'linked' : false,
  target: 'es2020',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  metafile: true,
  logLevel: watch ? 'info' : 'warning',
  define: { 'process.env.NODE_ENV': JSON.stringify(watch ? 'development' : 'production') },
  absWorkingDir: root,
});

/**
 * Two separate IIFE bundles (no shared chunks): the launcher (widget.js, no JSX, so no Preact: the JSX shim would
 * pull it in) and the chat UI (widget-ui.js), which widget.js fetches only when the chat is needed.
 */
function widgetOptions(watch: boolean, part: 'launcher' | 'ui'): BuildOptions {
  return {
    ...shared(watch),
    entryPoints: [resolve(root, part === 'launcher' ? 'widget/src/main.tsx' : 'widget/src/app.tsx')],
    outfile: part === 'launcher' ? widgetOutfile : widgetUiOutfile,
    format: 'iife',
    jsx: 'transform',
    jsxFactory: 'h',
    jsxFragment: 'Fragment',
    tsconfigRaw: { compilerOptions: { jsx: 'react', jsxFactory: 'h', jsxFragmentFactory: 'Fragment' } },
    inject: part === 'ui' ? [resolve(root, 'widget/src/jsx-shim.ts')] : [],
    plugins: [cssAsMinifiedText],
  };
}

function dashboardOptions(watch: boolean): BuildOptions {
  return {
    ...shared(watch),
    entryPoints: { app: resolve(root, 'dashboard/src/main.tsx') },
    outdir: dashboardOutDir,
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    assetNames: 'assets/[name]-[hash]',
  };
}

/** One tiny script per language, ASCII-only so the host page's charset cannot garble it. */
async function writeLocales(): Promise<void> {
  const dir = resolve(outDir, 'widget-l10n');
  await mkdir(dir, { recursive: true });
  const ascii = (value: string) =>
    JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  await Promise.all(
    Object.entries(translations).map(([code, line]) =>
      writeFile(resolve(dir, `${code}.js`), `window.Parley&&Parley.l10n(${ascii(code)},${ascii(line)});\n`),
    ),
  );
}

async function copyStatic(): Promise<void> {
  await mkdir(dashboardOutDir, { recursive: true });
  await writeLocales();
  await Promise.all(staticCopies.map(([from, to]) => copyFile(from, to)));
  await writeFile(resolve(outDir, 'index.html'), rootIndexHtml);
  // Security headers for the dashboard's files; Workers static assets read `_headers` and do not serve it.
  await writeFile(resolve(outDir, '_headers'), headersFile());
}

function requireMetafile(metafile: Metafile | undefined, what: string): Metafile {
  if (!metafile) throw new Error(`esbuild returned no metafile for the ${what}`);
  return metafile;
}

/** Stale chunks and watch-mode source maps must not be deployed; the rest of dist/public is overwritten. */
async function removeStaleOutput(): Promise<void> {
  await Promise.all([
    rm(dashboardOutDir, { recursive: true, force: true }),
    rm(`${widgetOutfile}.map`, { force: true }),
    rm(`${widgetUiOutfile}.map`, { force: true }),
  ]);
}

/** One production build of both apps (minified, no source maps). */
export async function buildUi(): Promise<UiBuildResult> {
  const started = performance.now();
  await removeStaleOutput();
  const [widget, , dashboard] = await Promise.all([
    esbuild.build(widgetOptions(false, 'launcher')),
    esbuild.build(widgetOptions(false, 'ui')),
    esbuild.build(dashboardOptions(false)),
    copyStatic(),
  ]);
  return {
    widget: requireMetafile(widget.metafile, 'widget'),
    dashboard: requireMetafile(dashboard.metafile, 'dashboard'),
    durationMs: performance.now() - started,
  };
}

/** Rebuilds on every source change (unminified, with source maps) until the process is stopped. */
export async function watchUi(): Promise<void> {
  await removeStaleOutput();
  await copyStatic();
  const contexts = await Promise.all([
    esbuild.context(widgetOptions(true, 'launcher')),
    esbuild.context(widgetOptions(true, 'ui')),
    esbuild.context(dashboardOptions(true)),
  ]);
  await Promise.all(contexts.map((context) => context.watch()));
  for (const [from, to] of staticCopies) {
    watchFile(from, () => {
      copyFile(from, to).then(
        () => console.log(`copied ${relative(root, from)}`),
        (error: unknown) => console.error(error),
      );
    });
  }
  console.log('Watching widget/ and dashboard/ for changes (Ctrl+C to stop)');
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;

if (isMain) {
  if (process.argv.includes('--watch')) {
    await watchUi();
  } else {
    const { durationMs } = await buildUi();
    console.log(`Built widget and dashboard into ${relative(root, outDir)}/ in ${Math.round(durationMs)} ms`);
  }
}

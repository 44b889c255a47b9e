/// <reference types="node" />
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PARSER_PACKAGES, PARSERS_FOLDER } from './request-path.ts';
import { type CpuProfile, startupCpuMs } from './startup-profile.ts';
import { wrangler } from './wrangler.ts';

/** The two Workers of this repository, by wrangler config: the request path and the ingestion consumer. */
export const WORKERS = [
  { name: 'parley (request path)', config: 'wrangler.toml', parsersAllowed: false },
  { name: 'parley-ingest (ingestion)', config: 'wrangler.ingest.toml', parsersAllowed: true },
] as const;

/**
 * `wrangler dev` arguments that run both Workers in one process (multi-config dev: the first config is the primary
 * Worker and serves the port; the others run beside it with shared local state, queues and Durable Objects).
 */
export const DEV_CONFIGS: readonly string[] = WORKERS.flatMap((worker) => ['-c', worker.config]);

export interface WorkerBundle {
  name: string;
  config: string;
  /** What `wrangler deploy` uploads (every module but source maps), raw and gzip-compressed file by file. */
  raw: number;
  gzip: number;
  /** wrangler's own "Total Upload … / gzip: … KiB" line, the figure Cloudflare's size limit is checked against. */
  wranglerGzipKiB: number | null;
  /** Inputs of the bundle from the parsers' folder or a parser package (must be empty for the request path). */
  parserInputs: string[];
}

interface Metafile {
  inputs: Record<string, unknown>;
}

const isParserInput = (input: string) =>
  input.includes(PARSERS_FOLDER) || PARSER_PACKAGES.some((pkg) => input.includes(`node_modules/${pkg}/`));

/**
 * Bundles one Worker exactly as `wrangler deploy` would (`--dry-run --outdir`, with esbuild's metafile) and measures
 * it. The metafile lists every source file in the bundle, so a parser that slipped into the request path is named.
 */
export async function measureWorker(worker: (typeof WORKERS)[number]): Promise<WorkerBundle> {
  const outdir = await mkdtemp(join(tmpdir(), 'parley-bundle-'));
  try {
    const log = await wrangler(
      ['deploy', '--dry-run', '-c', worker.config, '--outdir', outdir, '--metafile', join(outdir, 'meta.json')],
      { quiet: true },
    );
    let raw = 0;
    let gzip = 0;
    for (const file of await readdir(outdir)) {
      if (file.endsWith('.map') || file.endsWith('.md') || file === 'meta.json') continue;
      const bytes = await readFile(join(outdir, file));
      raw += bytes.length;
      gzip += gzipSync(bytes, { level: 9 }).length;
    }
    const meta = JSON.parse(await readFile(join(outdir, 'meta.json'), 'utf8')) as Metafile;
    const reported = /Total Upload: [\d.]+ KiB \/ gzip: ([\d.]+) KiB/.exec(log)?.[1];
    return {
      name: worker.name,
      config: worker.config,
      raw,
      gzip,
      wranglerGzipKiB: reported ? Number(reported) : null,
      parserInputs: Object.keys(meta.inputs).filter(isParserInput),
    };
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

/**
 * `wrangler check startup` of one config, `runs` times: the startup CPU of each run, in ms. The Worker is bundled
 * once (`wrangler deploy --dry-run --outfile`) and every run profiles that bundle (`--worker`), so all runs measure
 * the same script and none pays for a build.
 */
export async function profileStartup(config: string, runs: number): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-startup-'));
  try {
    const bundle = join(dir, 'worker.bundle');
    await wrangler(['deploy', '--dry-run', '-c', config, '--outfile', bundle], { quiet: true });
    const results: number[] = [];
    for (let run = 0; run < runs; run++) {
      const outfile = join(dir, `startup-${run}.cpuprofile`);
      await wrangler(['check', 'startup', '-c', config, '--worker', bundle, '--outfile', outfile], { quiet: true });
      const ms = startupCpuMs(JSON.parse(await readFile(outfile, 'utf8')) as CpuProfile);
      // A profile with no samples at all (seen under heavy load) measured nothing; it is not a 0 ms startup.
      if (ms > 0) results.push(ms);
    }
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

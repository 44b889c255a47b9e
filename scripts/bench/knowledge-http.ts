/// <reference types="node" />
/**
 * Ingestion through the Workers, end to end (`npm run bench:knowledge -- --http`): the generated corpus of
 * ./knowledge-ingest.ts uploaded over HTTP to one `wrangler dev` of both Workers — the request path (its deployed
 * bundle, served with --no-bundle) and the ingestion Worker (wrangler.ingest.toml), which consumes `parley-ingest` —
 * timed from the first upload until every document is `ready`. Each document crosses the real path: API → R2 →
 * queue → parse → R2 → queue → offline embed → KnowledgeDO (chunks, FTS5, vectors) → D1 status. The default is a
 * short run (100 documents); `KNOWLEDGE_BENCH_HTTP_DOCS=1000` ingests the whole ~1 M-token corpus.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildUi, root } from '../build-ui.ts';
import { ensureDevVars } from '../lib/dev-vars.ts';
import { wrangler } from '../lib/wrangler.ts';
import { corpus } from './knowledge-ingest.ts';
import { buildBenchSeed } from './seed.ts';
import { bundleWorker, startDevServer } from './server.ts';

export const HTTP_DOCUMENTS = Number(process.env.KNOWLEDGE_BENCH_HTTP_DOCS ?? 100);
/** Uploads in flight at once: a few clients, not a flood (the local runtime shares the machine's cores). */
const UPLOAD_CONCURRENCY = 4;
const POLL_MS = 500;
/** Per document, generous for a loaded 2-core machine; the run fails rather than hangs. */
const DEADLINE_MS_PER_DOCUMENT = 2_000;

interface CollectionState {
  chunkCount: number;
  documents: Record<string, number>;
}

export async function httpIngestBench(documents = HTTP_DOCUMENTS): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-ingest-http-'));
  const state = join(dir, 'state');
  await mkdir(state, { recursive: true });
  // Both Workers read .dev.vars (the ingestion Worker, an auxiliary one, gets no --env-file): seal the seed with its key.
  const { ENCRYPTION_KEY } = await ensureDevVars(resolve(root, '.dev.vars'));
  const key = ENCRYPTION_KEY as string;
  const envFile = join(dir, 'bench.env');
  // Every upload and poll comes from one API key: lift its quota far above the run (worker/http/rate-limit.ts).
  await writeFile(envFile, `ENCRYPTION_KEY=${key}\nRATE_LIMIT_PER_KEY=10000000\nALLOW_PRIVATE_OUTBOUND=true\n`);
  await wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], { quiet: true });
  const seed = await buildBenchSeed(key);
  const sqlPath = join(dir, 'seed.sql');
  await writeFile(sqlPath, seed.sql);
  await wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', state, '--file', sqlPath], { quiet: true });
  await buildUi();
  const bundle = await bundleWorker('wrangler.toml', join(dir, 'bundle'));
  const server = await startDevServer({
    name: 'parley + parley-ingest',
    config: 'wrangler.toml',
    entry: bundle.entry,
    persistTo: state,
    envFile,
    auxiliaryConfigs: ['wrangler.ingest.toml'],
  });
  try {
    const call = async <T>(method: string, path: string, body?: BodyInit, type = 'application/json'): Promise<T> => {
      const res = await fetch(`${server.origin}${path}`, {
        method,
        headers: { authorization: `Bearer ${seed.apiKey}`, 'content-type': type },
        ...(body !== undefined && { body }),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const { id } = await call<{ id: string }>(
      'POST',
      '/api/v1/knowledge/collections',
      JSON.stringify({ name: 'Ingestion bench' }),
    );
    const texts = corpus(documents);
    const cpuBefore = await server.cpuTimeMs();
    const started = performance.now();
    let next = 0;
    const uploader = async () => {
      for (let d = next++; d < texts.length; d = next++) {
        await call(
          'POST',
          `/api/v1/knowledge/collections/${id}/documents?filename=doc-${d}.md`,
          texts[d],
          'text/markdown',
        );
      }
    };
    await Promise.all(Array.from({ length: UPLOAD_CONCURRENCY }, uploader));
    const uploadedMs = performance.now() - started;
    const deadline = Date.now() + documents * DEADLINE_MS_PER_DOCUMENT;
    let collection: CollectionState;
    for (;;) {
      collection = await call<CollectionState>('GET', `/api/v1/knowledge/collections/${id}`);
      const settled = (collection.documents.ready ?? 0) + (collection.documents.failed ?? 0);
      process.stdout.write(`\r${settled} / ${documents} documents settled`);
      if (settled === documents) break;
      if (Date.now() > deadline) throw new Error(`ingestion did not finish: ${JSON.stringify(collection.documents)}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = await server.cpuTimeMs();
    process.stdout.write('\n');
    const failed = collection.documents.failed ?? 0;
    if (failed > 0) throw new Error(`${failed} documents failed to ingest`);
    const chunks = collection.chunkCount;
    const cpu =
      cpuBefore !== undefined && cpuAfter !== undefined ? ((cpuAfter - cpuBefore) / chunks).toFixed(2) : 'n/a';
    const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`;
    return [
      `Measured ${new Date().toISOString().slice(0, 16)}Z on ${machine}, load average ${loadavg()[0]?.toFixed(2)} at the end.`,
      '',
      '| documents | chunks | uploads done s | all ready s | chunks/s end to end | CPU ms per chunk (wrangler + workerd) |',
      '|---|---|---|---|---|---|',
      `| ${documents} | ${chunks} | ${(uploadedMs / 1000).toFixed(1)} | ${seconds.toFixed(1)} | ${(chunks / seconds).toFixed(0)} | ${cpu} |`,
      '',
      `One \`wrangler dev\` of both Workers (shared local D1, R2, queues and Durable Objects), ${UPLOAD_CONCURRENCY} uploads in`,
      'flight, offline embedder, chunking 800/400; local queues deliver batches of ≤ 4 messages (wrangler.ingest.toml)',
      'with a 1 s batch timeout. CPU is every process of the dev server (both Workers, Miniflare, its queue and storage',
      'simulation), so it overstates what the deployed Workers would be billed.',
    ].join('\n');
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { unstable_readConfig } from 'wrangler';

const WORKER_TESTS = ['worker/**/*.test.ts', 'test/**/*.test.ts'];
/** `*.unit.test.ts` under worker/: pure logic that touches no Worker, Durable Object, D1, R2 or queue. */
const WORKER_UNIT_TESTS = 'worker/**/*.unit.test.ts';
const UNIT_TESTS = [
  'plugins/**/*.test.ts',
  'widget/**/*.test.ts',
  'dashboard/**/*.test.ts',
  'scripts/**/*.test.ts',
  WORKER_UNIT_TESTS,
];

/** Folders whose code runs inside workerd during tests (plugins' fake servers and global-setup run in Node). */
const WORKERD_CODE = ['worker', 'plugins', 'widget/src', 'dashboard/src', 'test'];
const NODE_ONLY = /^(test\/global-setup\.ts$|plugins\/(sdk|[^/]+\/[^/]+)\/fake\/|worker\/(mcp|custom-actions)\/fake\/)/;

/** `import … from 'x'`, `export … from 'x'`, `import 'x'`, `import('x')`, but not `import type`/`export type`. */
const IMPORT_SPECIFIER =
  /(?:^\s*(?:import|export)\s+(?!type\s)(?:[^'"`;]*?\sfrom\s*)?|\bimport\(\s*)['"]([^'"\s]+)['"]/gm;

// Every test runs inside workerd against the real local D1, Durable Objects, R2 and Queues from wrangler.toml.
// Test layout: `*.test.ts` next to the code it tests; a plugin's fake server under its own `fake/`; setup under `test/`.
/** Tests that only mean something with shards bound (isolation, the move from `DB` to a shard). */
const SHARD_ONLY_TESTS = 'worker/**/*.sharded.test.ts';

/** wrangler.toml's `DB` id, for the sharded project's d1Databases (which replace wrangler.toml's list). */
const WRANGLER_DB_ID =
  unstable_readConfig({ config: './wrangler.toml' }).d1_databases.find((d1: { binding: string }) => d1.binding === 'DB')
    ?.database_id ?? 'parley';

/**
 * The files that also run with two data-plane shards bound (issue 19 §3, docs/scaling.md): the auth sweep, and what
 * reads the data plane — lists, export, analytics, usage, tags, the event log — and the consumer that writes it, plus
 * the shard-only tests.
 */
const SHARDED_TESTS = [
  'test/auth-sweep.test.ts',
  'worker/conversations/list.test.ts',
  'worker/conversations/export.test.ts',
  'worker/conversations/tags.test.ts',
  'worker/conversations/message-tags.test.ts',
  'worker/analytics/routes.test.ts',
  'worker/analytics/usage-routes.test.ts',
  'worker/queue/usage-counters.test.ts',
  'worker/queue/set-based-sink.test.ts',
  'worker/queue/archive-sink.test.ts',
  // Team deletion erases objects listed from the shard and the consumer skips deleted teams' rows there.
  'worker/team-deletion/objects.test.ts',
  SHARD_ONLY_TESTS,
];

export default defineConfig(async () => {
  const migrations = await readD1Migrations('./migrations');
  const shardMigrations = await readD1Migrations('./migrations-shard');
  /** The Worker under test; `shards` binds DB_SHARD_00 and DB_SHARD_01 (Miniflare's d1Databases: binding → id). */
  const worker = (shards: boolean) =>
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      // The request-path Worker that also consumes parley-ingest, as the ingestion Worker does (test/worker.ts).
      main: './test/worker.ts',
      miniflare: {
        ...(shards && {
          // DB as wrangler.toml names it (these options replace its d1_databases), plus two shards.
          d1Databases: { DB: WRANGLER_DB_ID, DB_SHARD_00: 'parley-shard-00', DB_SHARD_01: 'parley-shard-01' },
          // A second analytics queue next to wrangler.toml's EVENTS (merged with its producers): conversations
          // hash onto the two (worker/db/shards.ts queueFor), and the same consumer drains both.
          queueProducers: { EVENTS_01: { queueName: 'parley-events-01' } },
        }),
        queueConsumers: { ...ingestQueueConsumers(), ...(shards && { 'parley-events-01': eventsConsumer() }) },
        bindings: {
          TEST_MIGRATIONS: migrations,
          TEST_SHARD_MIGRATIONS: shardMigrations,
          // A fixed test key: tests must never depend on a developer's .dev.vars.
          ENCRYPTION_KEY: 'dGVzdC1rZXktZm9yLXBhcmxleS10ZXN0cy0zMmJ5dGU',
          // Every test request comes from the same client "IP": a per-IP quota would make unrelated tests collide.
          // Per-key quotas stay at their default (fresh keys per test); rate-limit.test.ts overrides both per request.
          RATE_LIMIT_PER_IP: '100000',
          // Tests are a local deployment: fake servers listen on 127.0.0.1, and mail goes to the local sink.
          ALLOW_PRIVATE_OUTBOUND: 'true',
          EMAIL_SINK: 'local',
        },
        // Miniflare's simulation of Cloudflare's send_email binding (it checks the allow-lists, then logs the mail),
        // for plugins/email/cloudflare/; deliberately not named SEND_EMAIL, so the Worker's tests run without one.
        email: {
          send_email: [
            {
              name: 'SEND_EMAIL_TEST',
              allowed_sender_addresses: ['tests@parley.test'],
              allowed_destination_addresses: ['ops@example.com', 'help@example.com', 'second@example.com'],
            },
          ],
        },
      },
    });
  return {
    // Office files are assets too, so tests can import sample documents as `?inline` data URLs (worker/knowledge/parsers/).
    assetsInclude: ['**/*.docx', '**/*.xlsx', '**/*.pptx'],
    test: {
      setupFiles: ['./test/setup.ts'],
      // Turn tests drive real workerd + queues; on CI's 2 shared cores a 4–5 s test sat at vitest's 5 s default.
      testTimeout: 20_000,
      // Vitest's default in `run` mode is availableParallelism() − 1: one file at a time on CI's 2 cores, while most of a
      // `worker` file's time is its workerd start and Worker import (docs/ci.md). Two at once: the whole suite in 582 s,
      // against 2,336 s one at a time in the CI run before.
      maxWorkers: 2,
      globalSetup: ['./test/global-setup.ts'],
      // The Worker's npm packages, pre-bundled once into a few files (cached in node_modules/.vite) instead of
      // ~800 separate modules that every test file's runtime fetched one by one from Vite over a socket.
      deps: { optimizer: { ssr: { enabled: true, include: await importedPackages(WORKERD_CODE) } } },
      projects: [
        // Each file gets a fresh workerd and fresh storage: these files drive the Worker through SELF, Durable
        // Objects and queues, and what a file leaves running (alarms, retries, open streams) must die with it.
        // Measured without isolation: requests slowed from ~4 ms to ~200 ms over a dozen files, and tests timed out.
        {
          extends: true,
          plugins: [worker(false)],
          test: {
            name: 'worker',
            include: WORKER_TESTS,
            exclude: [...configDefaults.exclude, WORKER_UNIT_TESTS, SHARD_ONLY_TESTS],
          },
        },
        // The same Worker with two data-plane shards bound, where the fixtures' two teams land on different shards
        // (worker/db/shards.ts): SHARDED_TESTS again, isolated per file like the `worker` project.
        { extends: true, plugins: [worker(true)], test: { name: 'sharded', include: SHARDED_TESTS } },
        // Plugin, widget and dashboard tests and the Worker's `*.unit.test.ts` call plugin code, pure logic and the fake
        // servers directly, never the Worker, so their files share one runtime per Vitest worker: no per-file workerd
        // start and no re-import of the Worker (~5 s each).
        { extends: true, plugins: [worker(false)], test: { name: 'unit', include: UNIT_TESTS, isolate: false } },
      ] satisfies TestProjectInlineConfiguration[],
    },
  };
});

/**
 * Every npm package specifier (with its subpath, e.g. `hono/factory`) imported at runtime by code under `roots`.
 * Found by reading the code rather than listed by hand, so a new import can't be left out: a package loaded both
 * pre-bundled and raw would exist twice, and `instanceof` (e.g. hono's HTTPException) would fail between copies.
 */
async function importedPackages(roots: string[]): Promise<string[]> {
  const specifiers = new Set<string>();
  for (const root of roots) {
    for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
      const path = join(entry.parentPath, entry.name);
      if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || NODE_ONLY.test(path)) continue;
      for (const [, specifier] of (await readFile(path, 'utf8')).matchAll(IMPORT_SPECIFIER))
        if (specifier && isNpmPackage(specifier)) specifiers.add(specifier);
    }
  }
  return [...specifiers].sort();
}

function isNpmPackage(specifier: string): boolean {
  // Relative paths, runtime built-ins (node:, cloudflare:, workerd:) and Vitest itself are not pre-bundled, nor is a
  // WebAssembly module (QuickJS's `…/wasm`): it is loaded as a compiled module by wrangler.toml's CompiledWasm rule.
  return (
    !/^[./]|^[a-z]+:/.test(specifier) &&
    specifier !== 'vitest' &&
    !specifier.startsWith('vitest/') &&
    !/(\/wasm|\.wasm)$/.test(specifier)
  );
}

/**
 * wrangler.ingest.toml's queue consumers as Miniflare options, for the one Worker the pool runs (test/worker.ts):
 * read from that file, so the tests deliver parley-ingest batches with the deployed batch size and retries.
 */
interface QueueConsumer {
  queue: string;
  max_batch_size?: number;
  max_batch_timeout?: number;
  max_retries?: number;
  dead_letter_queue?: string;
}

/** wrangler.toml's `parley-events` consumer settings, for the extra analytics queues the sharded project binds. */
function eventsConsumer() {
  const consumers: QueueConsumer[] = unstable_readConfig({ config: './wrangler.toml' }).queues.consumers ?? [];
  const events = consumers.find((consumer) => consumer.queue === 'parley-events');
  return {
    maxBatchSize: events?.max_batch_size,
    maxBatchTimeout: events?.max_batch_timeout,
    maxRetries: events?.max_retries,
  };
}

function ingestQueueConsumers() {
  const consumers: QueueConsumer[] = unstable_readConfig({ config: './wrangler.ingest.toml' }).queues.consumers ?? [];
  return Object.fromEntries(
    consumers.map((consumer) => [
      consumer.queue,
      {
        maxBatchSize: consumer.max_batch_size,
        maxBatchTimeout: consumer.max_batch_timeout,
        maxRetries: consumer.max_retries,
        deadLetterQueue: consumer.dead_letter_queue,
      },
    ]),
  );
}

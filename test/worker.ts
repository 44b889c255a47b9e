import type { Env } from '../worker/env.ts';
import requestPath from '../worker/index.ts';
import ingestion from '../worker/ingest-worker.ts';

/**
 * The Worker the test pool runs (vitest.config.ts `main`). Deployed and under `wrangler dev` Parley is two Workers:
 * the request path (worker/index.ts) and the ingestion Worker (worker/ingest-worker.ts), the `parley-ingest`
 * consumer. The pool runs one Worker per test file, so this one is both: the request path's fetch, Durable Objects
 * and `parley-events` consumer, plus the ingestion Worker's queue handler for `parley-ingest` batches — a test that
 * uploads a document sees it reach `ready` through the real local queue, as under `npm start`.
 */
export * from '../worker/index.ts';

export default {
  ...requestPath,
  queue: (batch, env) => (batch.queue === INGEST_QUEUE ? ingestion.queue(batch, env) : requestPath.queue(batch, env)),
} satisfies ExportedHandler<Env, unknown>;

/** wrangler.ingest.toml's queue (the same name locally and deployed). */
const INGEST_QUEUE = 'parley-ingest';

import type { Env } from './env.ts';
import { consumeIngest } from './knowledge/ingest/consumer.ts';

/**
 * The ingestion Worker `parley-ingest` (wrangler.ingest.toml): the `parley-ingest` queue's consumer, so the document
 * parsers (worker/knowledge/parsers/: unpdf, mammoth, node-html-markdown, fflate) are bundled here and never into the
 * request-path Worker (worker/index.ts), whose startup stays free of them (bench/README.md, "Knowledge: bundles and
 * startup"). It reaches each collection's KnowledgeDO through a binding to the main Worker's class
 * (`script_name = "parley"`), and shares its D1 database and R2 bucket.
 *
 * `Env` is the main Worker's type: this Worker has only the bindings wrangler.ingest.toml declares (DB, FILES,
 * INGEST, KNOWLEDGE, the optional AI and VECTORIZE_*, the ENCRYPTION_KEY secret); scripts/check-request-path.ts fails
 * `npm run lint` when code reachable from here reads an `env.X` that file does not name.
 */
export default {
  queue: (batch, env) => consumeIngest(batch, env),
} satisfies ExportedHandler<Env, unknown>;

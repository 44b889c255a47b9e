import type { Env } from './env.ts';
import { consumeIngest } from './knowledge/ingest/consumer.ts';
import { consumeEvents } from './queue/consumer.ts';
import type { QueueMessage } from './queue/messages.ts';
import { handleScheduled } from './schedules/cron.ts';
import { buildApp } from './url-map.ts';

// The Durable Object classes the runtime instantiates (wrangler.toml): each is a composition root of its own.
export { ConversationDO } from './conversation-do/conversation-do.ts';
export { RateLimiterDO } from './http/rate-limiter-do.ts';
export { KnowledgeDO } from './knowledge/index/knowledge-do.ts';
export { ParticipantDO } from './participant-data/participant-do.ts';

export const app = buildApp();

export default {
  fetch: app.fetch,
  // One Worker consumes both queues (wrangler.toml); `batch.queue` says which one a batch came from.
  queue: (batch, env) =>
    batch.queue === INGEST_QUEUE ? consumeIngest(batch, env) : consumeEvents(batch as MessageBatch<QueueMessage>, env),
  // The Cron Trigger (wrangler.toml): team-level periodic jobs (worker/schedules/cron.ts).
  scheduled: (controller, env) => handleScheduled(controller, env),
} satisfies ExportedHandler<Env, unknown>;

/** wrangler.toml's ingestion queue name (the same locally and deployed). */
const INGEST_QUEUE = 'parley-ingest';

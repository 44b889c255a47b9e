import type { Env } from './env.ts';
import { meteredEnv } from './ports/metered-env.ts';
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
  // meteredEnv returns env itself unless PARLEY_METER=1 (npm run bench:scale).
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => app.fetch(request, meteredEnv(env, 'request'), ctx),
  // `parley-events` only: `parley-ingest` is consumed by the ingestion Worker (worker/ingest-worker.ts), so the
  // document parsers stay out of this, the request path's, bundle (scripts/check-request-path.ts).
  queue: (batch, env) => consumeEvents(batch as MessageBatch<QueueMessage>, meteredEnv(env, 'consumer')),
  // The Cron Trigger (wrangler.toml): team-level periodic jobs (worker/schedules/cron.ts).
  scheduled: (controller, env) => handleScheduled(controller, meteredEnv(env, 'cron')),
} satisfies ExportedHandler<Env, unknown>;

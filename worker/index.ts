import type { Env } from './env.ts';
import { consumeEvents } from './queue/consumer.ts';
import type { QueueMessage } from './queue/messages.ts';
import { buildApp } from './url-map.ts';

// The Durable Object classes the runtime instantiates (wrangler.toml): each is a composition root of its own.
export { ConversationDO } from './conversation-do/conversation-do.ts';
export { RateLimiterDO } from './http/rate-limiter-do.ts';
export { ParticipantDO } from './participant-data/participant-do.ts';

export const app = buildApp();

export default {
  fetch: app.fetch,
  queue: (batch, env) => consumeEvents(batch, env),
} satisfies ExportedHandler<Env, QueueMessage>;

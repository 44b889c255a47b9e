import type { ConversationDO } from './conversation/conversation-do.ts';
import type { RateLimiterDO } from './http/rate-limiter-do.ts';
import type { QueueMessage } from './queue/messages.ts';

/** Bindings and secrets the Worker runs with (wrangler.toml, `.dev.vars` locally, `wrangler secret put` deployed). */
export interface Env {
  DB: D1Database;
  FILES: R2Bucket;
  EVENTS: Queue<QueueMessage>;
  CONVERSATIONS: DurableObjectNamespace<ConversationDO>;
  ASSETS: Fetcher;
  /** One RateLimiterDO per API key or client IP (worker/http/rate-limit.ts). */
  RATE_LIMITER: DurableObjectNamespace<RateLimiterDO>;
  /** Requests per window per API key (default 600), per client IP without a key (default 120), window (60 s). */
  RATE_LIMIT_PER_KEY?: string;
  RATE_LIMIT_PER_IP?: string;
  RATE_LIMIT_WINDOW_SECONDS?: string;
  /** 32 random bytes, base64url: the AES-GCM key for secrets at rest. */
  ENCRYPTION_KEY: string;
}

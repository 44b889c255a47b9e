import type { ConversationDO } from './conversation/conversation-do.ts';
import type { QueueMessage } from './queue/messages.ts';

/** Bindings and secrets the Worker runs with (wrangler.toml, `.dev.vars` locally, `wrangler secret put` deployed). */
export interface Env {
  DB: D1Database;
  FILES: R2Bucket;
  EVENTS: Queue<QueueMessage>;
  CONVERSATIONS: DurableObjectNamespace<ConversationDO>;
  ASSETS: Fetcher;
  /** 32 random bytes, base64url: the AES-GCM key for secrets at rest. */
  ENCRYPTION_KEY: string;
}

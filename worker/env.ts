/**
 * Bindings and secrets the Worker runs with (wrangler.toml, `.dev.vars` locally, `wrangler secret put` deployed).
 * It names no class and no feature type, so every layer may import it without a cycle: the queue's message types
 * live with its producers (`Queue<…>` parameters) and each Durable Object namespace is typed where it is addressed
 * (worker/conversation/stub.ts, worker/http/rate-limiter-do.ts).
 */
/** The data-plane shard bindings a deployment may bind (worker/db/shards.ts, docs/scaling.md): 00 to 15. */
export type ShardBinding = `DB_SHARD_0${0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}` | `DB_SHARD_1${0 | 1 | 2 | 3 | 4 | 5}`;

/** Optional: none bound is single-database mode, where `DB` holds the data plane too. */
type ShardBindings = { [name in ShardBinding]?: D1Database };

/**
 * Extra analytics queue producers (worker/db/shards.ts `queueFor`, docs/scaling.md): `EVENTS` plus `EVENTS_01…15`,
 * one queue each, all consumed by the same consumer. None bound: `EVENTS` carries every conversation.
 */
export type EventsBinding = `EVENTS_0${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}` | `EVENTS_1${0 | 1 | 2 | 3 | 4 | 5}`;

type EventsBindings = { [name in EventsBinding]?: Queue };

export interface Env extends ShardBindings, EventsBindings {
  /** The control plane (teams, users, chatbots, versions, keys, configs), and the data plane when no shard is bound. */
  DB: D1Database;
  FILES: R2Bucket;
  /** `parley-events`: analytics copies and channel hand-offs (worker/queue/messages.ts). */
  EVENTS: Queue;
  /** One ConversationDO per conversation (worker/conversation-do/). */
  CONVERSATIONS: DurableObjectNamespace;
  /** One ParticipantDO per team × participant: participant data per chatbot (worker/participant-data/). */
  PARTICIPANTS: DurableObjectNamespace;
  /** `parley-ingest`: knowledge ingestion steps (worker/knowledge/ingest/). */
  INGEST: Queue;
  /** One KnowledgeDO per knowledge collection (worker/knowledge/index/). */
  KNOWLEDGE: DurableObjectNamespace;
  /**
   * Vectorize indexes by dimensions (optional, wrangler.toml `[[vectorize]]`): a collection whose embedder has one
   * keeps its vectors there; without it, in its KnowledgeDO (worker/knowledge/index/vector-store-for.ts).
   */
  VECTORIZE_768?: Vectorize;
  VECTORIZE_1024?: Vectorize;
  VECTORIZE_1536?: Vectorize;
  ASSETS: Fetcher;
  /** One RateLimiterDO per API key or client IP (worker/http/rate-limit.ts). */
  RATE_LIMITER: DurableObjectNamespace;
  /** Requests per window per API key (default 600), per client IP without a key (default 120), window (60 s). */
  RATE_LIMIT_PER_KEY?: string;
  RATE_LIMIT_PER_IP?: string;
  RATE_LIMIT_WINDOW_SECONDS?: string;
  /** Widget token lifetime in seconds (default 3600); short values make e2e runs cross an expiry. */
  WIDGET_TOKEN_TTL_SECONDS?: string;
  /** Widget messages per participant per window (default 20) and that window in seconds (default 60). */
  WIDGET_RATE_LIMIT_PER_PARTICIPANT?: string;
  WIDGET_RATE_LIMIT_WINDOW_SECONDS?: string;
  /**
   * Public origin (e.g. `https://bots.example.com`) when the Worker is reached through a tunnel or proxy: channel
   * webhook URLs are built on it, and Twilio signs the public URL. Without it, the request's own origin is used.
   */
  PUBLIC_URL?: string;
  /** `true` lets anyone create an account (and their own team) with POST /api/v1/auth/sign-up; off by default. */
  OPEN_SIGNUP?: string;
  /** `1` counts every shared-service call in the logs (worker/ports/metered-env.ts); only npm run bench:scale sets it. */
  PARLEY_METER?: string;
  /**
   * A secret (`wrangler secret put OPS_TOKEN`) for the operator API, /api/v1/ops/… (worker/ops/; docs/scaling.md): moving
   * teams to their shards. Unset, those routes answer 404.
   */
  OPS_TOKEN?: string;
  /**
   * Days the message archive keeps (`archive/<team>/<yyyy-mm-dd>/`, worker/queue/archive-sink.ts): the daily cron deletes
   * older day prefixes (worker/queue/archive-retention.ts). Unset or 0: kept forever (or by an R2 lifecycle rule).
   */
  ARCHIVE_RETENTION_DAYS?: string;
  /** A secret that lets POST /api/v1/auth/setup create the first owner of an instance with no accounts yet. */
  SETUP_TOKEN?: string;
  /**
   * `true` only where the deployment is local (`npm start`, the e2e harness, the test config): fetches made on a
   * team's behalf may then reach private and loopback addresses (fake servers on 127.0.0.1). Never set it deployed.
   */
  ALLOW_PRIVATE_OUTBOUND?: string;
  /**
   * `local` where the deployment is local: email from a team with no configured sender is kept in R2 under
   * `dev-email/` (worker/email/local-sink.ts) instead of failing. Never set it deployed.
   */
  EMAIL_SINK?: string;
  /** Cloudflare Email Routing's `send_email` binding (optional; wrangler.toml `[[send_email]]`). */
  SEND_EMAIL?: SendEmail;
  /** Workers AI (optional; wrangler.toml `[ai] binding = "AI"`), handed only to the workers-ai embedder. No local simulator. */
  AI?: Ai;
  /**
   * Workers Analytics Engine dataset for usage counters (optional; wrangler.toml `[[analytics_engine_datasets]]`,
   * worker/queue/usage-counters.ts). No local simulator: without it the D1 message copies are the counters.
   */
  USAGE?: AnalyticsEngineDataset;
  /** 32 random bytes, base64url: the AES-GCM key for secrets at rest. */
  ENCRYPTION_KEY: string;
}

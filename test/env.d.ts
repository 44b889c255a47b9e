import type { D1Migration } from 'cloudflare:test';
import type { Env } from '../worker/env.ts';

declare global {
  namespace Cloudflare {
    interface Env extends ParleyTestEnv {}
  }
  interface ParleyTestEnv extends Env {
    TEST_MIGRATIONS: D1Migration[];
    /** migrations-shard/: the data-plane shards' schema (the `sharded` project binds DB_SHARD_00 and 01). */
    TEST_SHARD_MIGRATIONS: D1Migration[];
    /** Miniflare's simulated send_email binding with allow-lists (vitest.config.ts), for the cloudflare sender. */
    SEND_EMAIL_TEST: SendEmail;
  }
}

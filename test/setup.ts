import { applyD1Migrations, env } from 'cloudflare:test';
import { shardRouter } from '../worker/db/shards.ts';

// Runs inside workerd before every test file: bring the local D1 to the latest schema. Measured cheap (~100 ms on a
// fresh database, <20 ms when already migrated: applyD1Migrations skips what `d1_migrations` records), so it is not
// where per-file time goes. In the `unit` project (vitest.config.ts) files share a runtime and find D1 migrated.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
// The `sharded` project binds data-plane shards: each gets the shard schema (migrations-shard/). Without shards the
// router's only database is DB, already migrated above.
for (const shard of shardRouter(env).all())
  if (shard.db !== env.DB) await applyD1Migrations(shard.db, env.TEST_SHARD_MIGRATIONS);

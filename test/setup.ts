import { applyD1Migrations, env } from 'cloudflare:test';

// Runs inside workerd before every test file: bring the local D1 to the latest schema. Measured cheap (~100 ms on a
// fresh database, <20 ms when already migrated: applyD1Migrations skips what `d1_migrations` records), so it is not
// where per-file time goes. In the `unit` project (vitest.config.ts) files share a runtime and find D1 migrated.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

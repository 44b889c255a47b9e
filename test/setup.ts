import { applyD1Migrations, env } from 'cloudflare:test';

// Runs before every test file, inside workerd: bring the local D1 to the latest schema (idempotent).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

// Every test runs inside workerd against the real local D1, Durable Objects, R2 and Queues from wrangler.toml.
// Test layout: `*.test.ts` next to the code it tests; shared helpers and fakes under `test/`.
export default defineConfig(async () => {
  const migrations = await readD1Migrations('./migrations');
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            // A fixed test key: tests must never depend on a developer's .dev.vars.
            ENCRYPTION_KEY: 'dGVzdC1rZXktZm9yLXBhcmxleS10ZXN0cy0zMmJ5dGU',
            // Every test request comes from the same client "IP": a per-IP quota would make unrelated tests collide.
            // Per-key quotas stay at their default (fresh keys per test); rate-limit.test.ts overrides both per request.
            RATE_LIMIT_PER_IP: '100000',
          },
        },
      }),
    ],
    test: {
      include: ['worker/**/*.test.ts', 'plugins/**/*.test.ts', 'widget/**/*.test.ts', 'test/**/*.test.ts'],
      setupFiles: ['./test/setup.ts'],
      globalSetup: ['./test/global-setup.ts'],
    },
  };
});

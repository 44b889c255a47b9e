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
          },
        },
      }),
    ],
    test: {
      include: ['worker/**/*.test.ts', 'plugins/**/*.test.ts'],
      setupFiles: ['./test/setup.ts'],
      globalSetup: ['./test/global-setup.ts'],
    },
  };
});

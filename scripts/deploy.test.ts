/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import wranglerToml from '../wrangler.toml?raw';
import { d1BindingsOf, deploySteps } from './deploy.ts';

const args = (steps: ReturnType<typeof deploySteps>) => steps.map(([, a]) => a.join(' '));

describe('npm run deploy (scripts/deploy.ts)', () => {
  it('migrates DB and every bound shard before uploading the Workers', () => {
    const toml = `
[[d1_databases]]
binding = "DB"
migrations_dir = "migrations"

# [[d1_databases]]
# binding = "DB_SHARD_09"

[[d1_databases]]
binding = "DB_SHARD_00"
migrations_dir = "migrations-shard"

[[d1_databases]]
binding = "DB_SHARD_07"
migrations_dir = "migrations-shard"

[[r2_buckets]]
binding = "FILES"
`;
    expect(d1BindingsOf(toml)).toEqual(['DB', 'DB_SHARD_00', 'DB_SHARD_07']);
    expect(args(deploySteps(d1BindingsOf(toml)))).toEqual([
      'scripts/build-ui.ts',
      'd1 migrations apply DB --remote',
      'd1 migrations apply DB_SHARD_00 --remote',
      'd1 migrations apply DB_SHARD_07 --remote',
      'deploy',
      'deploy -c wrangler.ingest.toml',
    ]);
  });

  it('reads the project’s wrangler.toml: one database and no shard migration until shards are uncommented', () => {
    const bindings = d1BindingsOf(wranglerToml);
    expect(bindings).toEqual(['DB']);
    expect(args(deploySteps(bindings)).filter((step) => step.startsWith('d1 migrations'))).toEqual([
      'd1 migrations apply DB --remote',
    ]);
  });
});

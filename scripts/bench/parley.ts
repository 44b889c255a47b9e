/// <reference types="node" />
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SecretBox } from '../../worker/security/secrets.ts';
import { root } from '../build-ui.ts';
import { wrangler } from '../lib/wrangler.ts';
import { type BenchSeed, buildBenchSeed } from './seed.ts';
import { type Bundle, type DevServer, startDevServer } from './server.ts';

/**
 * Parley on local workerd with its own state in `stateDir` (expected empty): a fresh ENCRYPTION_KEY, the D1
 * migrations, the bench seed, then `wrangler dev` serving `bundle` with `config` (default: the project's).
 */
export async function startParley(
  stateDir: string,
  bundle: Bundle,
  config = resolve(root, 'wrangler.toml'),
  vars: Record<string, string> = {},
  output: Pick<Parameters<typeof startDevServer>[0], 'onOutput' | 'logLevel'> = {},
): Promise<{ server: DevServer; seed: BenchSeed }> {
  const encryptionKey = SecretBox.generateKey();
  const envFile = resolve(stateDir, 'bench.env');
  // wrangler reads this file instead of .dev.vars, so the developer's keys and secrets stay out of the run.
  const lines = Object.entries({ ENCRYPTION_KEY: encryptionKey, ...vars }).map(([name, value]) => `${name}=${value}\n`);
  await writeFile(envFile, lines.join(''), { mode: 0o600 });
  await wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', stateDir], { quiet: true });
  const seed = await buildBenchSeed(encryptionKey);
  const seedPath = resolve(stateDir, 'seed.sql');
  await writeFile(seedPath, seed.sql, { mode: 0o600 });
  await wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', stateDir, '--file', seedPath], { quiet: true });
  const server = await startDevServer({
    name: 'Parley',
    config,
    entry: bundle.entry,
    persistTo: stateDir,
    envFile,
    ...output,
  });
  return { server, seed };
}

/// <reference types="node" />
/**
 * `npm run deploy`: builds the UI, applies the D1 migrations to the remote databases (the control plane and every
 * bound shard) and deploys both Workers (interactive as before), then prints how to create the first account: a deployed instance has no seed, and only
 * the holder of the SETUP_TOKEN secret can create its first owner (worker/auth/setup-routes.ts).
 * The request-path Worker (wrangler.toml) goes first: the ingestion Worker (wrangler.ingest.toml) binds to its
 * KnowledgeDO class (`script_name = "parley"`), which must exist when the binding is uploaded.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { root } from './build-ui.ts';

const bin = (name: string) => resolve(root, 'node_modules/.bin', name);

type Step = readonly [string, readonly string[]];

/**
 * The deploy's commands in order: the UI, then the migrations of `DB` (migrations/) and of every data-plane shard
 * wrangler.toml binds (`DB_SHARD_xx`, migrations-shard/: their `migrations_dir`), all before the Worker that reads
 * them is uploaded, then both Workers. `d1Bindings` are wrangler.toml's `[[d1_databases]]` bindings.
 */
export function deploySteps(d1Bindings: readonly string[]): Step[] {
  const shards = d1Bindings.filter((binding) => /^DB_SHARD_\d{2}$/.test(binding));
  return [
    [bin('tsx'), ['scripts/build-ui.ts']],
    [bin('wrangler'), ['d1', 'migrations', 'apply', 'DB', '--remote']],
    ...shards.map((shard): Step => [bin('wrangler'), ['d1', 'migrations', 'apply', shard, '--remote']]),
    [bin('wrangler'), ['deploy']],
    [bin('wrangler'), ['deploy', '-c', 'wrangler.ingest.toml']],
  ];
}

/** The D1 bindings a wrangler.toml declares (uncommented `binding = "…"` lines of `[[d1_databases]]` tables). */
export function d1BindingsOf(toml: string): string[] {
  return toml
    .split('[[d1_databases]]')
    .slice(1)
    .map((block) => /^\s*binding\s*=\s*"([^"]+)"/m.exec(block.split(/\n\s*\[/)[0] ?? '')?.[1])
    .filter((binding): binding is string => !!binding);
}

/** What to do after the first deploy. `name` is the Worker's name in wrangler.toml (its workers.dev host). */
export function firstAccountInstructions(name: string): string {
  const base = `https://${name}.<your-subdomain>.workers.dev`;
  return [
    '',
    'Deployed. To create the first account (once; everyone else joins by invitation):',
    '',
    '  1. Set a one-time setup token (any long random string):',
    `       node -e "console.log(require('crypto').randomBytes(24).toString('base64url'))" | npx wrangler secret put SETUP_TOKEN`,
    '  2. Create the owner and their team:',
    `       curl -X POST ${base}/api/v1/auth/setup -H 'content-type: application/json' \\`,
    `         -d '{"token":"<SETUP_TOKEN>","email":"you@example.com","password":"<a strong password>","name":"Your Name"}'`,
    `  3. Sign in at ${base}/dashboard/ — then remove the token: npx wrangler secret delete SETUP_TOKEN`,
    '',
  ].join('\n');
}

function main(): void {
  const toml = readFileSync(resolve(root, 'wrangler.toml'), 'utf8');
  for (const [command, args] of deploySteps(d1BindingsOf(toml))) {
    // The terminal inherited: wrangler asks before applying remote migrations, as `npm run deploy` always did.
    const run = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
  process.stdout.write(firstAccountInstructions(/^name\s*=\s*"([^"]+)"/m.exec(toml)?.[1] ?? 'parley'));
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(root, 'scripts/deploy.ts')) main();

/// <reference types="node" />
/**
 * `npm start`: everything the platform needs locally, then `wrangler dev` on http://localhost:8787.
 * 1. `.dev.vars` exists and holds ENCRYPTION_KEY (generated on the first start);
 * 2. pending D1 migrations are applied to the local database under .wrangler/state;
 * 3. on the first start the demo is seeded and written to `.dev/seed.json`;
 * 4. the widget and dashboard are built; 5. wrangler dev starts both Workers in one process: the request path
 *    (wrangler.toml, the first config, serving the port) and the ingestion Worker (wrangler.ingest.toml), sharing
 *    the local D1, R2, queues and Durable Objects under .wrangler/state; 6. the Cron Trigger fires at the start of
 *    each minute its expression matches (scripts/dev-cron.ts), so schedules' sweep and periodic jobs run locally.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildDemoSeed, type DemoSeed } from '../worker/seed/demo.ts';
import { providerNotice } from '../worker/seed/provider-notice.ts';
import { buildUi, root } from './build-ui.ts';
import { LOCAL_CRON_FLAG, startProjectCron } from './dev-cron.ts';
import { ensureDevVars } from './lib/dev-vars.ts';
import { seedSql } from './lib/seed-sql.ts';
import { DEV_CONFIGS } from './lib/worker-bundles.ts';
import { d1Query, wrangler } from './lib/wrangler.ts';

const PORT = Number(process.env.PORT ?? 8787);
const seedPath = resolve(root, '.dev/seed.json');

async function seedIfNeeded(variables: Record<string, string>): Promise<DemoSeed['summary']> {
  if (existsSync(seedPath)) {
    const summary = JSON.parse(await readFile(seedPath, 'utf8')) as DemoSeed['summary'];
    const found = await d1Query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM teams WHERE id = '${summary.teamId.replace(/'/g, '')}'`,
    );
    if (found[0]?.n === 1) return summary;
    console.log('The local database no longer holds the seeded team; seeding again.');
  }
  const existing = await d1Query<{ n: number }>("SELECT COUNT(*) AS n FROM teams WHERE slug = 'demo'");
  if (existing[0]?.n) {
    throw new Error(
      'A demo team exists but .dev/seed.json is gone. Run `npm run reset` to start from a clean local state.',
    );
  }
  const seed = await buildDemoSeed({ encryptionKey: variables.ENCRYPTION_KEY as string, variables });
  await mkdir(resolve(root, '.dev'), { recursive: true });
  const sqlPath = resolve(root, '.dev/seed.sql');
  await writeFile(sqlPath, seedSql(seed.rows), { mode: 0o600 });
  await wrangler(['d1', 'execute', 'DB', '--local', '--file', sqlPath]);
  await writeFile(seedPath, `${JSON.stringify(seed.summary, null, 2)}\n`, { mode: 0o600 });
  return seed.summary;
}

function banner(seed: DemoSeed['summary'], variables: Record<string, string>): string {
  const base = `http://localhost:${PORT}`;
  const notice = providerNotice(seed.providerId, variables);
  const offline = notice ? ` (offline demo provider)\n\n  ${notice}` : '';
  return [
    '',
    `  Parley is starting on ${base}`,
    '',
    `  Dashboard   ${base}/dashboard/  (sign in as ${seed.ownerEmail} / ${seed.ownerPassword})`,
    `  API key     ${seed.apiKey}  (admin scope, for curl and programs)`,
    `  Widget demo ${base}/widget-demo.html?key=${seed.widgetKey}`,
    `  Chatbot     ${seed.chatbotId} → ${seed.providerId}/${seed.model}${offline}`,
    `  Seed        .dev/seed.json (teamId, chatbotId, apiKey, widgetKey, ownerEmail, ownerPassword)`,
    '',
  ].join('\n');
}

/**
 * `npm start` is a local deployment: fetches on a team's behalf may reach 127.0.0.1 (a local API under test), and
 * email from teams with no sender lands in the local sink (worker/env.ts). A deploy never passes these.
 */
const LOCAL_VARS = ['--var', 'ALLOW_PRIVATE_OUTBOUND:true', '--var', 'EMAIL_SINK:local'];

async function main(): Promise<void> {
  const variables = await ensureDevVars(resolve(root, '.dev.vars'));
  await wrangler(['d1', 'migrations', 'apply', 'DB', '--local']);
  const seed = await seedIfNeeded(variables);
  await buildUi();
  console.log(banner(seed, variables));
  const dev = spawn(
    resolve(root, 'node_modules/.bin/wrangler'),
    ['dev', ...DEV_CONFIGS, '--port', String(PORT), LOCAL_CRON_FLAG, ...LOCAL_VARS, ...process.argv.slice(2)],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  const stopCron = startProjectCron(PORT);
  dev.on('exit', stopCron);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => dev.kill(signal));
  dev.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

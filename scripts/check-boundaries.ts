/// <reference types="node" />
/**
 * Proves the plugin boundary rules in biome.json bite: lints a set of probe files, each with one import, under the
 * paths the rules cover (a plugin's top-level file, its `fake/` folder, the SDK, worker code, a worker test), and
 * checks that every forbidden import is reported and every allowed one is not. Run by `npm run lint`, so a rule
 * loosened by accident (a glob that stops matching, an override that replaces ours) fails the build.
 *
 * The probes live in a scratch copy with biome.json, never in the tree: a real wrong import would have to be
 * committed to be seen. Usage: `tsx scripts/check-boundaries.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { root } from './build-ui.ts';

interface Probe {
  file: string;
  from: string;
  allowed: boolean;
}

const probe = (file: string, from: string, allowed: boolean): Probe => ({ file, from, allowed });

export const PROBES: readonly Probe[] = [
  // A plugin: the SDK and its own folder only.
  probe('plugins/channels/telegram/probe.ts', '../../sdk/index.ts', true),
  probe('plugins/channels/telegram/probe.ts', '../../sdk/channel-helpers/split.ts', true),
  probe('plugins/channels/telegram/probe.ts', './format.ts', true),
  probe('plugins/channels/telegram/probe.ts', './fixtures/update-text.official.json', true),
  probe('plugins/channels/telegram/probe.ts', '../../../worker/security/constant-time.ts', false),
  probe('plugins/channels/telegram/probe.ts', '../../../test/setup.ts', false),
  probe('plugins/channels/telegram/probe.ts', '../whatsapp/format.ts', false),
  probe('plugins/channels/telegram/probe.ts', '../../providers/openai/index.ts', false),
  probe('plugins/channels/telegram/probe.ts', '../../registry.ts', false),
  probe('plugins/providers/openai/fake/probe.ts', '../../../sdk/fake/request-log.ts', true),
  probe('plugins/providers/openai/fake/probe.ts', '../catalog.ts', true),
  probe('plugins/providers/openai/fake/probe.ts', '../../anthropic/fake/wire.ts', false),
  probe('plugins/providers/openai/presets/probe.ts', '../../../../worker/env.ts', false),
  // The SDK: nothing outside itself.
  probe('plugins/sdk/probe.ts', './clock.ts', true),
  probe('plugins/sdk/probe.ts', '../../worker/ports/clock.ts', false),
  probe('plugins/sdk/contracts/probe.ts', '../index.ts', true),
  probe('plugins/sdk/contracts/probe.ts', '../../../test/setup.ts', false),
  probe('plugins/sdk/testing/probe.ts', '../../providers/offline/index.ts', false),
  // The worker: the SDK and the registry, never a plugin folder (its own worker/plugins/ is not one).
  probe('worker/channels/probe.ts', '../../plugins/sdk/index.ts', true),
  probe('worker/channels/probe.ts', '../../plugins/registry.ts', true),
  probe('worker/channels/probe.ts', '../plugins/redact.ts', true),
  probe('worker/channels/probe.ts', '../../plugins/channels/telegram/format.ts', false),
  probe('worker/probe.ts', '../plugins/providers/offline/index.ts', false),
  probe('worker/a/b/probe.ts', '../../../plugins/tools/clock/index.ts', false),
  // Worker tests may state expected output with a plugin's own helpers (the offline provider's reply).
  probe('worker/channels/probe.test.ts', '../../plugins/providers/offline/reply.ts', true),
];

interface Diagnostic {
  category: string;
  location: { path: string | { file: string } };
}

async function main(): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'parley-boundaries-'));
  try {
    const config = JSON.parse(await readFile(resolve(root, 'biome.json'), 'utf8')) as Record<string, unknown>;
    // The scratch copy is no git checkout and holds only probes.
    config.vcs = { enabled: false };
    config.files = { includes: ['**'] };
    delete config.$schema;
    await writeFile(join(scratch, 'biome.json'), JSON.stringify(config));
    const files = PROBES.map((entry, index) => ({ ...entry, path: entry.file.replace(/probe/, `probe${index}`) }));
    for (const { path, from } of files) {
      await mkdir(dirname(join(scratch, path)), { recursive: true });
      await writeFile(join(scratch, path), `import * as probe from '${from}';\n\nexport { probe };\n`);
    }
    const biome = spawnSync(resolve(root, 'node_modules/.bin/biome'), ['lint', '--reporter=json', '.'], {
      cwd: scratch,
      encoding: 'utf8',
    });
    const report = JSON.parse(biome.stdout) as { diagnostics: Diagnostic[] };
    const flagged = new Set(
      report.diagnostics
        .filter((diagnostic) => diagnostic.category === 'lint/style/noRestrictedImports')
        .map(({ location }) => (typeof location.path === 'string' ? location.path : location.path.file)),
    );
    const wrong = files.filter(({ path, allowed }) => flagged.has(path) === allowed);
    for (const { file, from, allowed } of wrong) {
      console.error(`${file}: import '${from}' should be ${allowed ? 'allowed' : 'reported'}`);
    }
    if (wrong.length > 0) process.exit(1);
    console.log(
      `Boundary rules: ${files.filter((f) => !f.allowed).length} wrong imports reported, ${files.filter((f) => f.allowed).length} allowed ones pass.`,
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

await main();

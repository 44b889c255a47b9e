/**
 * Proves the dependency rules in biome.json hold themselves (part of `npm run lint`): writes deliberately wrong
 * imports into temporary files inside worker/, runs biome on them and fails unless biome reports each one. Also
 * fails when a top-level folder of worker/ is neither platform nor a listed feature, so a new feature cannot slip
 * past the platform rule by being absent from its list.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Probe {
  file: string;
  source: string;
  rule: string;
  why: string;
}

const PROBE = '__lint-probe';
const probes: Probe[] = [
  {
    file: `worker/http/${PROBE}.ts`,
    source: "import type { ApiKeyAuth } from '../auth/middleware.ts';\nexport type Probe = ApiKeyAuth;\n",
    rule: 'lint/style/noRestrictedImports',
    why: 'the platform (worker/http) imports a feature (auth), even as a type',
  },
  {
    file: `worker/conversation/${PROBE}.ts`,
    source:
      "import { ChannelDeliveries } from '../channels/delivery-runner.ts';\nexport const probe = ChannelDeliveries;\n",
    rule: 'lint/style/noRestrictedImports',
    why: 'the conversation core imports channels',
  },
  {
    file: `worker/conversation/${PROBE}-widget.ts`,
    source: "import { hitParticipant } from '../widget/rate-limits.ts';\nexport const probe = hitParticipant;\n",
    rule: 'lint/style/noRestrictedImports',
    why: 'the conversation core imports the widget',
  },
  {
    file: `worker/tags/${PROBE}-a.ts`,
    source: `import type { B } from './${PROBE}-b.ts';\nexport type A = { b?: B };\n`,
    rule: 'lint/suspicious/noImportCycles',
    why: 'two files import each other, by type imports only',
  },
  {
    file: `worker/tags/${PROBE}-b.ts`,
    source: `import type { A } from './${PROBE}-a.ts';\nexport type B = { a?: A };\n`,
    rule: 'lint/suspicious/noImportCycles',
    why: 'two files import each other, by type imports only',
  },
];

/** worker/ folders of the platform layer; every other folder must be a feature the platform rule names. */
const PLATFORM = ['http', 'db', 'security', 'ports'];

function featuresInBiomeConfig(): Set<string> {
  const config = JSON.parse(readFileSync('biome.json', 'utf8')) as {
    overrides: {
      linter?: { rules?: { style?: { noRestrictedImports?: { options?: { patterns?: { group: string[] }[] } } } } };
    }[];
  };
  const groups = config.overrides.flatMap(
    (override) => override.linter?.rules?.style?.noRestrictedImports?.options?.patterns?.flatMap((p) => p.group) ?? [],
  );
  return new Set(
    groups.map((pattern) => /^(?:\*\*|\.\.)\/([^/*]+)\/\*\*$/.exec(pattern)?.[1]).filter((name) => name !== undefined),
  );
}

const failures: string[] = [];
const features = featuresInBiomeConfig();
for (const entry of readdirSync('worker', { withFileTypes: true })) {
  if (entry.isDirectory() && !PLATFORM.includes(entry.name) && !features.has(entry.name)) {
    failures.push(`worker/${entry.name}/ is neither platform nor a feature named in biome.json's platform rule`);
  }
}

try {
  for (const probe of probes) writeFileSync(probe.file, probe.source);
  let output = '';
  try {
    output = execFileSync('npx', ['biome', 'lint', '--reporter=github', ...probes.map((p) => p.file)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // biome exits 1 when it reports errors, which is what every probe wants.
    output = String((error as { stdout?: string }).stdout ?? '');
  }
  for (const probe of probes) {
    const reported = output
      .split('\n')
      .some((line) => line.includes(`file=${join(process.cwd(), probe.file)}`) && line.includes(probe.rule));
    if (!reported) failures.push(`${probe.rule} did not fire on ${probe.file} (${probe.why})`);
  }
} finally {
  for (const probe of probes) rmSync(probe.file, { force: true });
}

if (failures.length > 0) {
  console.error(`Dependency rules do not hold:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log(`Dependency rules hold: ${probes.length} deliberately wrong imports reported by biome.`);

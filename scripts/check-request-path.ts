/// <reference types="node" />
/**
 * The two Workers' import rules, part of `npm run lint` (scripts/lib/request-path.ts says why):
 * 1. the request-path Worker (worker/index.ts, wrangler.toml) reaches no document parser through its imports;
 * 2. the ingestion Worker (worker/ingest-worker.ts) does reach them — so a walk that stopped following imports
 *    cannot pass by finding nothing;
 * 3. every `env.X` the ingestion Worker's code reads is named in wrangler.ingest.toml (a binding, a commented
 *    optional one, or a secret or var in its header), since that Worker runs without the main Worker's other bindings.
 * Usage: `tsx scripts/check-request-path.ts`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { root } from './build-ui.ts';
import {
  bindingsRead,
  describeViolation,
  importGraph,
  PARSERS_FOLDER,
  parserImports,
  type ReadFile,
} from './lib/request-path.ts';

const REQUEST_PATH = 'worker/index.ts';
const INGESTION = 'worker/ingest-worker.ts';
const INGESTION_CONFIG = 'wrangler.ingest.toml';

const read: ReadFile = (file) => {
  const path = resolve(root, file);
  return existsSync(path) && statSync(path).isFile() ? readFileSync(path, 'utf8') : null;
};

const problems: string[] = [];
const requestPath = parserImports(REQUEST_PATH, read);
problems.push(...requestPath.violations.map(describeViolation));

const ingestion = importGraph(INGESTION, read);
if (!ingestion.files.has(`${PARSERS_FOLDER}parse.ts`)) {
  problems.push(`${INGESTION} no longer reaches ${PARSERS_FOLDER}parse.ts: is the import walk broken?`);
}
const config = read(INGESTION_CONFIG) ?? '';
const ingestionFiles = [...ingestion.files].filter(([file]) => !file.endsWith('.test.ts'));
const undeclared = [...bindingsRead(ingestionFiles.map(([, { source }]) => source))].filter(
  (name) => !new RegExp(`\\b${name}\\b`).test(config),
);
for (const name of undeclared) {
  const file = ingestionFiles.find(([, { source }]) => source.includes(`env.${name}`))?.[0] ?? '?';
  problems.push(
    `${ingestion.chainTo(file).join(' → ')} reads env.${name}, which ${INGESTION_CONFIG} does not declare: ` +
      'add the binding there (the ingestion Worker has only its own)',
  );
}

for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
console.log(
  `Request path: ${requestPath.files} files reachable from ${REQUEST_PATH}, none a parser; ${INGESTION} reaches ` +
    `${ingestion.files.size} files and reads only bindings ${INGESTION_CONFIG} declares`,
);

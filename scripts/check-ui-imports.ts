/// <reference types="node" />
/**
 * Fails when the dashboard or the widget imports server code as a value (scripts/lib/ui-imports.ts says why).
 * Run by `npm run lint`, so `npm test` enforces it. Usage: `tsx scripts/check-ui-imports.ts`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeViolation, UI_FOLDERS, uiImportViolations, type Violation } from './lib/ui-imports.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const violations: Violation[] = [];
let files = 0;
for (const folder of UI_FOLDERS) {
  for (const entry of await readdir(join(root, folder), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(ts|tsx|js|jsx)$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const file = path.slice(root.length + 1);
    files += 1;
    violations.push(...uiImportViolations(file, await readFile(path, 'utf8')));
  }
}
for (const violation of violations) console.error(describeViolation(violation, root));
if (violations.length > 0) process.exit(1);
console.log(`UI imports: ${files} files of ${UI_FOLDERS.join(', ')} take only types from server code`);

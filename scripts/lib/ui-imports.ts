import { dirname, join, normalize, relative } from 'node:path';

/**
 * The UIs' one rule about the worker: they may take its types (derived from its zod schemas), never its code. A
 * statement-level `import type` / `export type` is erased by esbuild and TypeScript alike; `import { type X }` is not
 * enough, since verbatimModuleSyntax keeps it as `import {} from '…'` and the module would run in the bundle. Biome
 * 2.6's noRestrictedImports cannot tell type imports from value imports (its options are module paths, patterns and
 * import names only), so `npm run lint` runs this check after biome.
 */
export const UI_FOLDERS = ['dashboard', 'widget'] as const;
/** Server-side code: the Worker, the plugins, the tests and the Node scripts. */
const SERVER_FOLDERS = ['worker', 'plugins', 'test', 'scripts'];

// `import … from 'x'`, `export … from 'x'`, `import 'x'` (across lines), and `import('x')`.
const STATEMENT = /^[ \t]*(import|export)\s+(type\s+)?(?:[^'";]*?\bfrom\s*)?['"]([^'"\s]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"\s]+)['"]\s*\)/g;

export interface Violation {
  file: string;
  line: number;
  specifier: string;
}

const serverTarget = (file: string, specifier: string): boolean => {
  if (!specifier.startsWith('.')) return false;
  const target = normalize(join(dirname(file), specifier));
  const top = target.split(/[\\/]/)[0] ?? '';
  return SERVER_FOLDERS.includes(top);
};

/** Value imports of server code in one UI file (`file` relative to the repository root). */
export function uiImportViolations(file: string, source: string): Violation[] {
  const found: Violation[] = [];
  const line = (index: number) => source.slice(0, index).split('\n').length;
  for (const match of source.matchAll(STATEMENT)) {
    const [, , typeOnly, specifier = ''] = match;
    if (!typeOnly && serverTarget(file, specifier)) found.push({ file, line: line(match.index), specifier });
  }
  for (const match of source.matchAll(DYNAMIC)) {
    const specifier = match[1] ?? '';
    if (serverTarget(file, specifier)) found.push({ file, line: line(match.index), specifier });
  }
  return found;
}

export const describeViolation = (v: Violation, root: string) =>
  `${relative(root, join(root, v.file))}:${v.line}: imports server code '${v.specifier}' as a value; ` +
  'use `import type` (the UIs take only types from worker/, derived from its zod schemas)';

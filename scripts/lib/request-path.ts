import { dirname, join, normalize } from 'node:path';

/**
 * The request path's one rule about ingestion: the Worker that serves HTTP (worker/index.ts and everything it imports,
 * the Durable Object classes included) never reaches a document parser. The parsers run in the ingestion Worker
 * (worker/ingest-worker.ts, wrangler.ingest.toml); esbuild inlines dynamic imports into the one bundle, so a single
 * `import()` of a parser from request-path code would put unpdf (≈ 500 KB gzip) back into it. Biome's
 * noRestrictedImports sees one file at a time; this walks the import graph, so an indirect import is caught too.
 */

/** The parsers' folder, and the npm packages only they may use. */
export const PARSERS_FOLDER = 'worker/knowledge/parsers/';
export const PARSER_PACKAGES = ['unpdf', 'mammoth', 'node-html-markdown'] as const;

// `import … from 'x'`, `export … from 'x'`, `import 'x'` (across lines), and `import('x')`. A statement-level
// `import type` / `export type` is erased by esbuild; `import { type X }` is kept (verbatimModuleSyntax) and counts.
const STATEMENT = /^[ \t]*(import|export)\s+(type\s+)?(?:[^'";]*?\bfrom\s*)?['"]([^'"\s]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"\s]+)['"]\s*\)/g;

export interface ValueImport {
  specifier: string;
  line: number;
}

/** The imports of one source file that esbuild keeps in the bundle, static and dynamic. */
export function valueImports(source: string): ValueImport[] {
  const line = (index: number) => source.slice(0, index).split('\n').length;
  const found: ValueImport[] = [];
  for (const match of source.matchAll(STATEMENT)) {
    if (!match[2] && match[3]) found.push({ specifier: match[3], line: line(match.index) });
  }
  for (const match of source.matchAll(DYNAMIC)) {
    if (match[1]) found.push({ specifier: match[1], line: line(match.index) });
  }
  return found;
}

/** An npm package's name from a bare specifier (`unpdf`, `@scope/pkg/sub` → `@scope/pkg`); null for paths. */
export function packageName(specifier: string): string | null {
  if (/^[./]|^[a-z]+:/.test(specifier)) return null;
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

/** Reads a repository file (path relative to the root); null when it does not exist. */
export type ReadFile = (file: string) => string | null;

/** A relative specifier's target file, as the bundlers resolve it (with or without `.ts`, or a folder's index.ts). */
function resolveRelative(from: string, specifier: string, read: ReadFile): { file: string; source: string } | null {
  const base = normalize(join(dirname(from), specifier.split('?')[0] ?? specifier));
  for (const file of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    const source = read(file);
    if (source !== null) return { file, source };
  }
  return null;
}

export interface Violation {
  /** entry → … → the file that imports the parser */
  chain: string[];
  /** the parser file or package reached */
  target: string;
  line: number;
}

interface Reached {
  /** the file that first imported it (null for the entry), for the shortest chain back to the entry */
  parent: string | null;
  source: string;
}

/** Every file reachable from `entry` by value imports, breadth first, and the bare (package) imports on the way. */
export function importGraph(entry: string, read: ReadFile) {
  const start = read(entry);
  if (start === null) throw new Error(`${entry} does not exist`);
  const files = new Map<string, Reached>([[entry, { parent: null, source: start }]]);
  const edges: { from: string; to: string; line: number; bare: boolean }[] = [];
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const source = files.get(file)?.source ?? '';
    if (!/\.tsx?$/.test(file)) continue;
    for (const { specifier, line } of valueImports(source)) {
      const pkg = packageName(specifier);
      if (pkg !== null) {
        edges.push({ from: file, to: pkg, line, bare: true });
        continue;
      }
      if (!specifier.startsWith('.')) continue;
      const target = resolveRelative(file, specifier, read);
      if (!target) continue;
      edges.push({ from: file, to: target.file, line, bare: false });
      if (files.has(target.file)) continue;
      files.set(target.file, { parent: file, source: target.source });
      queue.push(target.file);
    }
  }
  const chainTo = (file: string): string[] => {
    const chain: string[] = [];
    for (let at: string | null | undefined = file; at; at = files.get(at)?.parent) chain.unshift(at);
    return chain;
  };
  return { files, edges, chainTo };
}

const isParser = (to: string, bare: boolean) =>
  bare ? (PARSER_PACKAGES as readonly string[]).includes(to) : to.startsWith(PARSERS_FOLDER);

/**
 * Every import of a parser file or parser package by a file outside the parsers' folder that is reachable from
 * `entry`, each with the shortest import chain to the importing file, so the message names the import to remove.
 */
export function parserImports(entry: string, read: ReadFile): { violations: Violation[]; files: number } {
  const graph = importGraph(entry, read);
  const violations = graph.edges
    .filter(({ from, to, bare }) => !from.startsWith(PARSERS_FOLDER) && isParser(to, bare))
    .map(({ from, to, line }) => ({ chain: graph.chainTo(from), target: to, line }));
  return { violations, files: graph.files.size };
}

/** Block comments and line comments (not `://` in URLs), so a binding named in prose does not count as read. */
const COMMENTS = /\/\*[\s\S]*?\*\/|(?<!:)\/\/.*$/gm;

/** The `env.NAME` bindings (upper-case names) read by the code of any of `sources`. */
export function bindingsRead(sources: Iterable<string>): Set<string> {
  const names = new Set<string>();
  for (const source of sources) {
    for (const match of source.replace(COMMENTS, '').matchAll(/\benv\.([A-Z][A-Z0-9_]*)\b/g)) {
      if (match[1]) names.add(match[1]);
    }
  }
  return names;
}

export const describeViolation = ({ chain, target, line }: Violation) =>
  `${chain.join(' → ')}:${line} imports ${target}: the request path must not reach a parser ` +
  '(parsing runs in the ingestion Worker, worker/ingest-worker.ts; formats are in worker/knowledge/documents/formats.ts)';

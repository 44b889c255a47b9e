import { describe, expect, it } from 'vitest';
import { bindingsRead, importGraph, parserImports, type ReadFile, valueImports } from './request-path.ts';

/** An in-memory repository: path → source. */
const tree =
  (files: Record<string, string>): ReadFile =>
  (file) =>
    files[file] ?? null;

describe('valueImports', () => {
  it('keeps static, side-effect, re-export, inline-type and dynamic imports; drops statement-level type imports', () => {
    const source = [
      "import { a } from './a.ts';",
      "import type { B } from './b.ts';",
      "export type { C } from './c.ts';",
      "import { type D } from './d.ts';",
      "import './e.ts';",
      "export { f } from './f.ts';",
      'import {',
      '  g,',
      "} from './g.ts';",
      "const h = () => import('./h.ts');",
    ].join('\n');
    expect(valueImports(source).map((i) => i.specifier)).toEqual([
      './a.ts',
      './d.ts',
      './e.ts',
      './f.ts',
      './g.ts',
      './h.ts',
    ]);
  });
});

describe('parserImports', () => {
  it('names the chain of an indirect import of a parser, static or dynamic', () => {
    const read = tree({
      'worker/index.ts': "import { routes } from './knowledge/documents/routes.ts';",
      'worker/knowledge/documents/routes.ts': "export const routes = () => import('../parsers/parse.ts');",
      'worker/knowledge/parsers/parse.ts': "import { parsePdf } from './pdf.ts';",
      'worker/knowledge/parsers/pdf.ts': "import { extractText } from 'unpdf';",
    });
    const { violations } = parserImports('worker/index.ts', read);
    expect(violations).toEqual([
      {
        chain: ['worker/index.ts', 'worker/knowledge/documents/routes.ts'],
        target: 'worker/knowledge/parsers/parse.ts',
        line: 1,
      },
    ]);
  });

  it('refuses a parser package imported outside the parsers, and resolves paths without an extension', () => {
    const read = tree({
      'worker/index.ts': "import './a';",
      'worker/a.ts':
        "import { NodeHtmlMarkdown } from 'node-html-markdown';\nimport mammoth from 'mammoth/lib/index.js';",
    });
    expect(parserImports('worker/index.ts', read).violations.map((v) => v.target)).toEqual([
      'node-html-markdown',
      'mammoth',
    ]);
  });

  it('allows type-only imports of a parser and any import of other code', () => {
    const read = tree({
      'worker/index.ts': "import { store } from './knowledge/documents/store.ts';",
      'worker/knowledge/documents/store.ts': [
        "import type { ParsedDocument } from '../parsers/types.ts';",
        "import { detectFormat } from './formats.ts';",
        "import { Hono } from 'hono';",
      ].join('\n'),
      'worker/knowledge/documents/formats.ts': 'export const detectFormat = () => null;',
    });
    const result = parserImports('worker/index.ts', read);
    expect(result.violations).toEqual([]);
    expect(result.files).toBe(3);
  });

  it('follows import cycles once', () => {
    const read = tree({
      'worker/a.ts': "import './b.ts';",
      'worker/b.ts': "import './a.ts';\nimport '../worker/knowledge/parsers/csv.ts';",
      'worker/knowledge/parsers/csv.ts': '',
    });
    const { violations, files } = parserImports('worker/a.ts', read);
    expect(files).toBe(3);
    expect(violations.map((v) => v.chain)).toEqual([['worker/a.ts', 'worker/b.ts']]);
  });
});

describe('bindingsRead', () => {
  it('finds env bindings read in code, not ones named in comments', () => {
    const sources = [
      '/** Uses env.DOCUMENTED only in prose. */\nconst db = env.DB;\n// env.ALSO_PROSE\nconst url = "https://x"; env.FILES.get(k);',
    ];
    expect([...bindingsRead(sources)].sort()).toEqual(['DB', 'FILES']);
  });

  it('reads the whole graph, the parsers included', () => {
    const read = tree({
      'worker/ingest-worker.ts': "import './knowledge/parsers/parse.ts';",
      'worker/knowledge/parsers/parse.ts': 'export const ai = (env) => env.AI;',
    });
    const graph = importGraph('worker/ingest-worker.ts', read);
    expect([...bindingsRead([...graph.files.values()].map((f) => f.source))]).toEqual(['AI']);
  });
});

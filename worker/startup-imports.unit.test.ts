import { afterEach, describe, expect, it, vi } from 'vitest';

// The packages the Worker loads on first use (plugins/*/sdk.ts, worker/mcp/sdk.ts, custom-actions/spec-source.ts):
// each costs 50-200 ms of module evaluation, paid by every isolate and every test file that imports the Worker.
const LAZY = [
  'openai',
  '@anthropic-ai/sdk',
  '@google/genai',
  '@modelcontextprotocol/sdk/client/index.js',
  '@modelcontextprotocol/sdk/client/auth.js',
  'yaml',
  // Already loaded on first use by knowledge/parsers/parse.ts; listed so they stay that way.
  'mammoth',
  'node-html-markdown',
] as const;

afterEach(() => {
  for (const name of LAZY) vi.doUnmock(name);
  vi.resetModules();
});

describe('Worker startup', () => {
  it('evaluates none of the big SDKs when the Worker module loads, and the probe sees a first use', async () => {
    const evaluated: string[] = [];
    // A fresh module graph, so the Worker is evaluated again here whatever earlier files in this isolate loaded;
    // each mock factory runs only if something imports that package (and then hands over the real one).
    vi.resetModules();
    for (const name of LAZY) {
      vi.doMock(name, async (importOriginal) => {
        evaluated.push(name);
        return await importOriginal();
      });
    }
    const worker = await import('./index.ts');
    expect(worker.default.fetch).toBeTypeOf('function');
    expect(evaluated).toEqual([]);

    await import('openai');
    expect(evaluated).toEqual(['openai']);
  });
});

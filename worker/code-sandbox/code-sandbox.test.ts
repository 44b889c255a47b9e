import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { codeSandbox } from './index.ts';

// The worker project loads the wasm through wrangler.toml's CompiledWasm rule, as the deployed Worker does.
describe('codeSandbox(env)', () => {
  it('runs code in QuickJS with host functions', async () => {
    const result = await codeSandbox(env).run({
      code: 'async function main(input) { return { doubled: await twice(input.n), engine: typeof fetch } }',
      entry: 'main',
      args: [{ n: 21 }],
      host: { twice: async (n) => (typeof n === 'number' ? n * 2 : null) },
    });
    expect(result).toEqual({ ok: true, value: { doubled: 42, engine: 'undefined' }, logs: [] });
  });
});

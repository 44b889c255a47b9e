/**
 * The contract every CodeSandbox implementation meets, as a reusable vitest suite: call
 * `runSandboxContract(name, () => sandbox)` at the top level of a test file. It checks what the code node relies on:
 * JSON in and out, host functions (sync and async), error kinds with the admin's line, every limit, no way out to
 * the network or the host, cancellation. Runaway cases (endless loop, memory bomb, deep recursion) can be left out
 * only by an implementation whose limits are not enforced locally (a Worker Loader isolate: workerd issue 49); the
 * omission is reported.
 */
import { describe, expect, it } from 'vitest';
import type { CodeSandbox, SandboxRequest, SandboxResult } from '../node/sandbox.ts';
import { contractChecks, type OmittedCheck } from './checks.ts';

export interface SandboxContractOptions {
  /** Why the runaway-code cases cannot run here; omit to run them (every implementation whose limits hold locally). */
  skipRunaway?: string;
}

export function runSandboxContract(
  name: string,
  sandbox: () => CodeSandbox,
  options: SandboxContractOptions = {},
): OmittedCheck[] {
  const checks = contractChecks();
  const runaway = checks.when(options.skipRunaway === undefined, options.skipRunaway ?? '');
  const run = (request: Partial<SandboxRequest> & { code: string }): Promise<SandboxResult> =>
    sandbox().run({ entry: 'main', args: [], host: {}, ...request });
  const failure = async (request: Partial<SandboxRequest> & { code: string }) => {
    const result = await run(request);
    if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
    return result.error;
  };

  describe(`sandbox contract: ${name}`, () => {
    it('passes JSON arguments in and returns the JSON result', async () => {
      const result = await run({
        code: 'function main(input, ctx) { return { sum: input.a + input.b, tags: ctx.tags.concat(["x"]), n: null } }',
        args: [{ a: 2, b: 40 }, { tags: ['a'] }],
      });
      expect(result).toEqual({ ok: true, value: { sum: 42, tags: ['a', 'x'], n: null }, logs: [] });
    });

    it('returns null for undefined and awaits an async entry', async () => {
      expect(await run({ code: 'function main() {}' })).toMatchObject({ ok: true, value: null });
      expect(await run({ code: 'async function main() { return "later" }' })).toMatchObject({
        ok: true,
        value: 'later',
      });
    });

    it('calls sync host functions with JSON arguments and hands back their results', async () => {
      const calls: unknown[] = [];
      const result = await run({
        code: 'function main() { const n = double(21); record({ n, list: [1, "two"] }); return n }',
        host: {
          double: (n) => (typeof n === 'number' ? n * 2 : null),
          record: (value) => void calls.push(value),
        },
      });
      expect(result).toMatchObject({ ok: true, value: 42 });
      expect(calls).toEqual([{ n: 42, list: [1, 'two'] }]);
    });

    it('awaits async host functions, in order, and surfaces their rejections as catchable errors', async () => {
      const result = await run({
        code: `async function main() {
          const a = await slow(1);
          const b = await slow(2);
          let caught = null;
          try { await broken() } catch (error) { caught = error.message }
          return { a, b, caught };
        }`,
        host: {
          slow: async (n) => {
            await new Promise((resolve) => setTimeout(resolve, 5));
            return { got: n };
          },
          broken: async () => {
            throw new Error('the host said no');
          },
        },
      });
      expect(result).toMatchObject({ ok: true, value: { a: { got: 1 }, b: { got: 2 }, caught: 'the host said no' } });
    });

    it('makes a sync host function that throws a guest error the code can catch', async () => {
      const result = await run({
        code: 'function main() { try { refuse() } catch (e) { return "caught: " + e.message } }',
        host: {
          refuse: () => {
            throw new Error('not allowed');
          },
        },
      });
      expect(result).toMatchObject({ ok: true, value: 'caught: not allowed' });
    });

    it('captures console output, bounded', async () => {
      const result = await run({
        code: 'function main() { console.log("hi", { a: 1 }); console.warn("careful"); for (let i = 0; i < 500; i++) console.log(i); return 1 }',
      });
      expect(result.ok).toBe(true);
      expect(result.logs.slice(0, 2)).toEqual(['hi {"a":1}', '[warn] careful']);
      expect(result.logs.length).toBeLessThanOrEqual(101);
      expect(result.logs.at(-1)).toMatch(/dropped/);
    });

    it('reports a syntax error with its line', async () => {
      const error = await failure({ code: 'function main() {\n  return 1 +;\n}' });
      expect(error).toMatchObject({ kind: 'syntax', line: 2 });
      expect(error.message).toMatch(/SyntaxError/);
    });

    it('reports a runtime error with the guest message and line', async () => {
      const error = await failure({ code: 'function main() {\n  const x = null;\n  return x.field;\n}' });
      expect(error).toMatchObject({ kind: 'runtime', line: 3 });
      expect(error.message).toMatch(/TypeError/);
      const thrown = await failure({ code: 'async function main() {\n\n  throw new Error("custom failure");\n}' });
      expect(thrown).toMatchObject({ kind: 'runtime', line: 3 });
      expect(thrown.message).toContain('custom failure');
    });

    it('fails when the entry function is missing or the promise can never settle', async () => {
      expect(await failure({ code: 'const x = 1' })).toMatchObject({ kind: 'runtime' });
      expect((await failure({ code: 'function main() { return new Promise(() => {}) }' })).message).toMatch(
        /never settles/,
      );
    });

    runaway('stops an endless loop by its counted budget, even one that catches errors', async () => {
      const error = await failure({
        code: 'function main() { for (;;) { try { while (true) {} } catch (e) {} } }',
        limits: { instructions: 200 },
      });
      expect(error.kind).toBe('budget');
    });

    runaway('stops a memory bomb at its memory limit', async () => {
      const error = await failure({
        code: 'function main() { const a = []; for (;;) a.push({ n: a.length, s: "x" + a.length }) }',
        limits: { memoryBytes: 4 * 1024 * 1024 },
      });
      expect(error).toMatchObject({ kind: 'memory' });
    });

    runaway('stops deep recursion at its stack limit', async () => {
      const error = await failure({ code: 'function f(n) { return f(n + 1) + 1 }\nfunction main() { return f(0) }' });
      expect(error.kind).toBe('stack');
    });

    it('refuses a result larger than its output limit', async () => {
      const error = await failure({
        code: 'function main() { return "y".repeat(5000) }',
        limits: { outputBytes: 1000 },
      });
      expect(error.kind).toBe('output');
    });

    it('keeps working after every kind of failure', async () => {
      await run({ code: 'function f() { return f() }\nfunction main() { return f() }' });
      await run({ code: 'function main() { for (;;) {} }', limits: { instructions: 100 } });
      expect(await run({ code: 'function main() { return "still here" }' })).toMatchObject({
        ok: true,
        value: 'still here',
      });
    });

    it('gives the code no network, no host globals and no way out', async () => {
      const result = await run({
        code: `function main() {
          const g = (0, eval)('this');
          return {
            fetch: typeof fetch, request: typeof Request, process: typeof process, require: typeof require,
            webSocket: typeof WebSocket, importScripts: typeof importScripts, caches: typeof caches,
            escaped: typeof (function () { return this })().fetch,
            ctor: typeof ({}).constructor.constructor('return typeof fetch')(),
            globals: Object.getOwnPropertyNames(g).filter((k) => /fetch|env|binding|Deno|Bun|process/i.test(k)),
          };
        }`,
      });
      expect(result).toMatchObject({
        ok: true,
        value: {
          fetch: 'undefined',
          request: 'undefined',
          process: 'undefined',
          require: 'undefined',
          webSocket: 'undefined',
          importScripts: 'undefined',
          caches: 'undefined',
          escaped: 'undefined',
          ctor: 'string',
          globals: [],
        },
      });
      const inner = await run({
        code: 'function main() { return ({}).constructor.constructor("return typeof fetch")() }',
      });
      expect(inner).toMatchObject({ ok: true, value: 'undefined' });
    });

    it('keeps no state from one call to the next', async () => {
      await run({ code: 'globalThis.leak = 42; function main() { return 1 }' });
      expect(await run({ code: 'function main() { return typeof leak }' })).toMatchObject({
        ok: true,
        value: 'undefined',
      });
    });

    it('is cancelled by its signal, before it starts and while it awaits the host', async () => {
      const before = new AbortController();
      before.abort();
      expect(await failure({ code: 'function main() { return 1 }', signal: before.signal })).toMatchObject({
        kind: 'cancelled',
      });
      const during = new AbortController();
      const result = run({
        code: 'async function main() { await never(); return "finished" }',
        host: {
          never: () => {
            setTimeout(() => during.abort(), 5);
            return new Promise(() => {});
          },
        },
        signal: during.signal,
      });
      expect(await result).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
    });

    checks.report(`sandbox ${name}`);
  });
  return checks.omitted;
}

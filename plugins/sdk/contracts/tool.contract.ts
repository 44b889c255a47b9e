/**
 * The contract every tool plugin must meet, as a reusable vitest suite: call `runToolContract(plugin, options)` at
 * the top level of the tool's test file.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { PluginContext, ToolPlugin } from '../index.ts';
import { fakeClock } from '../testing/fakes.ts';
import { contractChecks, type OmittedCheck } from './checks.ts';
import { type ContextPorts, jsonProblem, manifestContract } from './manifest.ts';

/** Arguments for one function: objects a model could send and the schema must accept, and ones it must reject. */
export interface ToolSamples {
  valid: readonly Record<string, unknown>[];
  invalid: readonly unknown[];
}

export interface ToolContractOptions<Settings> {
  /** Suite title suffix. Defaults to the id. */
  label?: string;
  /** Builds a fresh context for one call; point `fetch` at a fake HTTP server for tools that call an API. */
  context(ports: ContextPorts): PluginContext<Settings> | Promise<PluginContext<Settings>>;
  /** Samples for every function, by function name. A function without samples fails the suite. */
  samples: Readonly<Record<string, ToolSamples>>;
}

// OpenAI's rule for function names, the strictest of the providers Parley targets.
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
// Arguments that are not an object at all: what a confused model sometimes sends.
const NOT_OBJECTS: readonly unknown[] = [null, 'text', 42, []];

export function runToolContract<S extends z.ZodObject>(
  plugin: ToolPlugin<S>,
  options: ToolContractOptions<z.infer<S>>,
): OmittedCheck[] {
  const checks = contractChecks();
  describe(`tool contract: ${options.label ?? plugin.id}`, () => {
    manifestContract(plugin, 'tool');

    it('offers at least one function, with unique names', () => {
      expect(plugin.functions.length).toBeGreaterThan(0);
      const names = plugin.functions.map((fn) => fn.name);
      expect(new Set(names).size).toBe(names.length);
    });

    it('has samples only for functions it offers', () => {
      const names = plugin.functions.map((fn) => fn.name);
      for (const name of Object.keys(options.samples)) expect(names, `samples for "${name}"`).toContain(name);
    });

    for (const fn of plugin.functions) {
      describe(`function ${fn.name}`, () => {
        const samples = options.samples[fn.name];

        it('has a name every model provider accepts', () => {
          expect(fn.name).toMatch(FUNCTION_NAME);
        });

        it('has a description for the model', () => {
          expect(fn.description.trim()).not.toBe('');
        });

        it('takes a zod object whose JSON Schema is an object', () => {
          expect(fn.parameters).toBeInstanceOf(z.ZodObject);
          // No `unrepresentable` escape hatch: the model only sees this schema, so it must convert faithfully.
          const schema = z.toJSONSchema(fn.parameters, { io: 'input' });
          expect(schema.type).toBe('object');
          expect(jsonProblem(schema)).toBeUndefined();
        });

        it('has valid and invalid sample arguments', () => {
          expect(samples, `options.samples["${fn.name}"]`).toBeDefined();
          expect(samples?.valid.length).toBeGreaterThan(0);
          expect(samples?.invalid.length).toBeGreaterThan(0);
        });

        it('runs on each valid sample and returns plain JSON', async () => {
          for (const args of samples?.valid ?? []) {
            const parsed = fn.parameters.safeParse(args);
            expect(parsed.error, JSON.stringify(args)).toBeUndefined();
            if (!parsed.success) continue;
            const ctx = await options.context({ signal: new AbortController().signal, clock: fakeClock() });
            const result = await fn.run(ctx, parsed.data);
            expect(result, JSON.stringify(args)).toBeDefined();
            expect(jsonProblem(result), JSON.stringify(args)).toBeUndefined();
          }
        });

        it('rejects each invalid sample, and arguments that are not an object', () => {
          for (const args of [...(samples?.invalid ?? []), ...NOT_OBJECTS]) {
            expect(fn.parameters.safeParse(args).success, JSON.stringify(args)).toBe(false);
          }
        });

        // Results go to the model and into stored messages, where a secret setting must never appear.
        checks.when(plugin.secrets.length > 0, 'declares no secrets: there is no secret a result could leak')(
          'returns no secret setting in its results',
          async () => {
            for (const args of samples?.valid ?? []) {
              const ctx = await options.context({ signal: new AbortController().signal, clock: fakeClock() });
              const settings = ctx.settings as Record<string, unknown>;
              const result = JSON.stringify(await fn.run(ctx, fn.parameters.parse(args)));
              for (const key of plugin.secrets) {
                const value = settings[key];
                if (typeof value === 'string' && value.length > 3) expect(result, key).not.toContain(value);
              }
            }
          },
        );
      });
    }

    checks.report(`tool contract: ${options.label ?? plugin.id}`);
  });
  return checks.omitted;
}

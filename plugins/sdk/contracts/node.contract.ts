/**
 * The contract every node-kind plugin meets, as a reusable vitest suite: call `runNodeContract(plugin, options)` at
 * the top level of the plugin's test file. It checks what the engine and the editor rely on; the engine's own
 * semantics (barriers, retries, timeouts, skipping) are tested in worker/pipelines and apply to every kind alike.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { JsonValue, NodePlugin } from '../index.ts';
import type { NodeServices } from '../node/services.ts';
import { fakeNodeServices, runNodeKind } from '../testing/node-harness.ts';
import { contractChecks, type OmittedCheck } from './checks.ts';
import { jsonProblem, manifestContract } from './manifest.ts';

// The same rules worker/pipelines/definition.ts applies to `kind` and edges' `fromPort`.
const KIND_ID = /^[a-z][a-z0-9_]{0,39}$/;
const PORT = /^[A-Za-z0-9_-]{1,40}$/;

export interface NodeExample {
  /** Settings the kind accepts. */
  settings: Record<string, unknown>;
  input?: JsonValue;
  /** Fresh services per run (so two runs can be compared); defaults to `fakeNodeServices()`. */
  services?(): NodeServices;
}

export interface NodeContractOptions {
  /** At least one example the kind runs successfully; the first is also rendered for the editor. */
  examples: readonly NodeExample[];
  /** Settings the schema must refuse, each with why. */
  invalidSettings: readonly { settings: unknown; why: string }[];
  /**
   * Whether two runs with the same input and services give the same output. False only for kinds whose output is
   * meant to vary (none of the built-in ones); the reason is reported.
   */
  deterministic?: true | { reason: string };
}

export function runNodeContract(plugin: NodePlugin, options: NodeContractOptions): OmittedCheck[] {
  const checks = contractChecks();
  const kind = plugin.node;
  const deterministic = options.deterministic ?? true;
  describe(`node contract: ${plugin.id}`, () => {
    manifestContract(plugin, 'node');

    it('has a kind id definitions accept, and texts for the editor', () => {
      expect(kind.id).toMatch(KIND_ID);
      for (const text of [kind.displayName, kind.description, kind.inputs, kind.output]) {
        expect(text.trim()).not.toBe('');
      }
    });

    it('has node settings that render as JSON Schema and accept every example', () => {
      expect(z.toJSONSchema(kind.settings, { io: 'input' })).toMatchObject({ type: 'object' });
      for (const example of options.examples) expect(kind.settings.safeParse(example.settings).success).toBe(true);
    });

    it('refuses the invalid settings', () => {
      for (const { settings, why } of options.invalidSettings) {
        expect(kind.settings.safeParse(settings).success, why).toBe(false);
      }
    });

    it('lists ports edges can name; a router has at least one', () => {
      for (const example of options.examples) {
        const ports = kind.ports(kind.settings.parse(example.settings));
        for (const port of ports) expect(port).toMatch(PORT);
        expect(new Set(ports).size).toBe(ports.length);
        if (kind.routes) expect(ports.length).toBeGreaterThan(0);
      }
    });

    it('runs every example to JSON output; a router chooses exactly one of its ports', async () => {
      for (const example of options.examples) {
        const result = await runNodeKind(kind, {
          settings: example.settings,
          input: example.input,
          services: example.services?.() ?? fakeNodeServices(),
        });
        expect(jsonProblem(result.output)).toBeUndefined();
        // A silent kind lets an upstream LLM stream past it (worker/conversation/pipeline-streaming.ts).
        if (kind.silent) expect([result.replies, result.aborted]).toEqual([[], null]);
        if (kind.routes && result.aborted === null) {
          expect(result.routes).toHaveLength(1);
          expect(kind.ports(kind.settings.parse(example.settings))).toContain(result.routes[0]);
        } else expect(result.routes).toEqual([]);
      }
    });

    checks.when(deterministic === true, deterministic === true ? '' : deterministic.reason)(
      'gives the same output, replies and writes when run twice',
      async () => {
        for (const example of options.examples) {
          const run = () =>
            runNodeKind(kind, {
              settings: example.settings,
              input: example.input,
              services: example.services?.() ?? fakeNodeServices(),
            });
          const [first, second] = [await run(), await run()];
          expect(second.output).toEqual(first.output);
          expect(second.replies).toEqual(first.replies);
          expect(second.writes).toEqual(first.writes);
        }
      },
    );

    it('declares every reference it makes with a path into its settings', () => {
      for (const example of options.examples) {
        for (const reference of kind.references?.(kind.settings.parse(example.settings)) ?? []) {
          expect(reference.id).not.toBe('');
          expect(reference.path).not.toBe('');
        }
      }
    });

    checks.report(`node ${plugin.id}`);
  });
  return checks.omitted;
}

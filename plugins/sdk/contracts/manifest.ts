/** Checks shared by every contract suite: the manifest all plugin kinds declare, and JSON-ness of values. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Clock, JsonObject, Plugin, PluginKind } from '../index.ts';
import { settingsJsonSchema } from '../index.ts';

// The same rules `definePlugin` enforces, restated so a plugin that skipped `definePlugin` still fails here.
const PLUGIN_ID = /^[a-z][a-z0-9-]{1,39}$/;
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/** The ports a suite hands to a plugin's context factory; pass them through so the suite can observe and cancel. */
export interface ContextPorts {
  signal: AbortSignal;
  clock: Clock;
}

/**
 * Why `value` is not plain JSON (the path of the first offender), or undefined when it is. Stricter than a
 * `JSON.stringify` round trip, which silently turns `undefined`, `NaN` and `Date`s into something else.
 */
export function jsonProblem(value: unknown, path = '$'): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is ${value}`;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const problem = jsonProblem(item, `${path}[${index}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) return `${path} is a ${value.constructor.name}`;
    for (const [key, item] of Object.entries(value)) {
      const problem = jsonProblem(item, `${path}.${key}`);
      if (problem) return problem;
    }
    return undefined;
  }
  return `${path} is a ${typeof value}`;
}

/** Registers the manifest checks for `plugin`, which must be of `kind`. */
export function manifestContract(plugin: Plugin, kind: PluginKind): void {
  describe('manifest', () => {
    it(`is a ${kind} plugin`, () => {
      expect(plugin.kind).toBe(kind);
    });

    it('has an id usable in URLs and stored rows', () => {
      expect(plugin.id).toMatch(PLUGIN_ID);
    });

    it('has a semver version', () => {
      expect(plugin.version).toMatch(SEMVER);
    });

    it('has a display name and a description', () => {
      expect(plugin.displayName.trim()).not.toBe('');
      expect(plugin.description.trim()).not.toBe('');
    });

    it('declares settings as a zod object', () => {
      expect(plugin.settings).toBeInstanceOf(z.ZodObject);
    });

    it('declares only settings as secrets, each once', () => {
      const keys = Object.keys(plugin.settings.shape);
      for (const secret of plugin.secrets) expect(keys).toContain(secret);
      expect(new Set(plugin.secrets).size).toBe(plugin.secrets.length);
    });

    it('publishes a JSON object schema of its settings with secrets write-only', () => {
      const schema = settingsJsonSchema(plugin);
      expect(jsonProblem(schema)).toBeUndefined();
      expect(schema.type).toBe('object');
      const properties = (schema.properties ?? {}) as Record<string, JsonObject>;
      expect(Object.keys(properties).sort()).toEqual(Object.keys(plugin.settings.shape).sort());
      const secrets = new Set<string>(plugin.secrets);
      for (const [key, property] of Object.entries(properties)) {
        // A secret that is not write-only would be sent back to the dashboard in clear; the reverse hides a setting.
        expect(property.writeOnly === true, `settings.${key}.writeOnly`).toBe(secrets.has(key));
        if (secrets.has(key)) expect(property.format, `settings.${key}.format`).toBe('password');
      }
    });
  });
}

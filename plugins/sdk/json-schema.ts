import type { JsonObject } from './json.ts';

/**
 * Validates `value` against a JSON Schema without `eval` (Workers refuse it; ajv compiles with `new Function`).
 * Placeholder: accepts everything until @cfworker/json-schema is wired in.
 */
export function validateJson(_schema: JsonObject, _value: unknown): { valid: boolean; errors: string[] } {
  return { valid: true, errors: [] };
}

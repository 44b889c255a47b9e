import { type OutputUnit, type Schema, Validator } from '@cfworker/json-schema';
import type { JsonObject } from './json.ts';

/**
 * JSON Schema validation without `eval`: Workers refuse code generation and ajv compiles schemas with `new Function`;
 * @cfworker/json-schema interprets the schema (drafts 4–2020-12; `pattern` becomes a RegExp, which is allowed).
 * Proven by scripts/smoke-json-schema.mjs under `node --disallow-code-generation-from-strings`.
 */

/** The draft node settings and structured-output schemas are written in. */
const DRAFT = '2020-12';

// Keywords whose error only says "a child failed"; the child's own error (deeper pointer) says why.
const WRAPPERS = new Set(['properties', 'items', 'prefixItems', 'allOf', '$ref', 'contains', 'dependentSchemas']);

/**
 * Validates `value` against `schema`. Errors are readable lines `"<JSON pointer>: <why>"` (pointer `/` is the value
 * itself, `/items/0/name` a nested field), at most `maxErrors` of them, deepest first within each field.
 */
export function validateJson(schema: JsonObject, value: unknown, maxErrors = 20): { valid: boolean; errors: string[] } {
  let result: ReturnType<Validator['validate']>;
  try {
    result = new Validator(schema as Schema, DRAFT, false).validate(value);
  } catch (error) {
    // An unusable schema (an invalid `pattern`, a `$ref` to nothing) is a schema problem, reported as one line.
    return { valid: false, errors: [`/: the schema cannot be used: ${(error as Error).message}`] };
  }
  if (result.valid) return { valid: true, errors: [] };
  const errors = [...new Set(result.errors.map(readable).filter((line) => line !== null))];
  return { valid: false, errors: errors.length > 0 ? errors.slice(0, maxErrors) : ['/: does not match the schema'] };
}

function readable(unit: OutputUnit): string | null {
  if (WRAPPERS.has(unit.keyword)) return null;
  // `additionalProperties: false` reports the parent ("does not match additional properties schema") and the child
  // (keyword "false"); keep one line, on the child, that says what is wrong.
  if (unit.keyword === 'additionalProperties') return null;
  const pointer = pointerOf(unit.instanceLocation);
  if (unit.keyword === 'false') return `${pointer}: is not allowed here`;
  const why = unit.error.replace(/^Instance /, '').replace(/\.$/, '');
  return `${pointer}: ${why}`;
}

/** cfworker locations are URI fragments (`#/a/b`); shown as plain JSON pointers, `/` for the root. */
function pointerOf(location: string): string {
  const pointer = location.replace(/^#/, '');
  return pointer === '' ? '/' : decodeURIComponent(pointer);
}

const SCHEMA_TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);
// Structured output is sent to every provider: OpenAI strict mode and Gemini accept a subset of 2020-12, and a schema
// far past these bounds is a mistake (or an attempt to make every model call expensive), not a real extraction.
const MAX_SCHEMA_BYTES = 16_384;
const MAX_DEPTH = 6;
const MAX_PROPERTIES = 100;

/**
 * Whether `schema` is acceptable as a structured-output schema in node settings: an object schema with
 * `properties` (what OpenAI, Anthropic tools and Gemini all take as the top level), known `type`s, bounded size and
 * depth, local `$ref`s only, and usable by the validator. Returns problems as `"<pointer into the schema>: <why>"`.
 */
export function outputSchemaProblems(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return ['/: must be a JSON object'];
  const problems: string[] = [];
  if (JSON.stringify(schema).length > MAX_SCHEMA_BYTES) problems.push(`/: is larger than ${MAX_SCHEMA_BYTES} bytes`);
  const root = schema as Record<string, unknown>;
  if (root.type !== 'object') problems.push('/type: must be "object"');
  if (typeof root.properties !== 'object' || root.properties === null || Array.isArray(root.properties)) {
    problems.push('/properties: must be an object naming at least one property');
  } else if (Object.keys(root.properties).length === 0) {
    problems.push('/properties: must name at least one property');
  }
  walk(root, '', 0, problems);
  if (problems.length === 0) {
    try {
      new Validator(schema as Schema, DRAFT, false).validate({});
    } catch (error) {
      problems.push(`/: the schema cannot be used: ${(error as Error).message}`);
    }
  }
  return problems.slice(0, 20);
}

function walk(node: unknown, pointer: string, depth: number, problems: string[]): void {
  if (typeof node === 'boolean') return;
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    problems.push(`${pointer || '/'}: must be a schema object`);
    return;
  }
  if (depth > MAX_DEPTH) {
    problems.push(`${pointer}: nests deeper than ${MAX_DEPTH} levels`);
    return;
  }
  const schema = node as Record<string, unknown>;
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  for (const type of types) {
    if (typeof type !== 'string' || !SCHEMA_TYPES.has(type))
      problems.push(`${pointer}/type: unknown type ${JSON.stringify(type)}`);
  }
  if (typeof schema.$ref === 'string' && !schema.$ref.startsWith('#')) {
    problems.push(`${pointer}/$ref: only local references (#/$defs/…) are allowed`);
  }
  if (schema.enum !== undefined && (!Array.isArray(schema.enum) || schema.enum.length === 0)) {
    problems.push(`${pointer}/enum: must be a non-empty list`);
  }
  const properties = schema.properties;
  if (typeof properties === 'object' && properties !== null && !Array.isArray(properties)) {
    const entries = Object.entries(properties);
    if (entries.length > MAX_PROPERTIES) problems.push(`${pointer}/properties: more than ${MAX_PROPERTIES} properties`);
    for (const [name, child] of entries) walk(child, `${pointer}/properties/${escapeKey(name)}`, depth + 1, problems);
  }
  if (schema.items !== undefined) walk(schema.items, `${pointer}/items`, depth + 1, problems);
  for (const list of ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const) {
    const branches = schema[list];
    if (!Array.isArray(branches)) continue;
    for (const [i, child] of branches.entries()) walk(child, `${pointer}/${list}/${i}`, depth + 1, problems);
  }
  const defs = schema.$defs;
  if (typeof defs === 'object' && defs !== null && !Array.isArray(defs)) {
    for (const [name, child] of Object.entries(defs))
      walk(child, `${pointer}/$defs/${escapeKey(name)}`, depth + 1, problems);
  }
}

/** RFC 6901: `~` and `/` inside a key. */
function escapeKey(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

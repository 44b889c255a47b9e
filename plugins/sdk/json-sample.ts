import type { JsonValue } from './json.ts';

/**
 * A deterministic JSON value that satisfies a (structured-output) JSON Schema: what the offline provider answers and
 * what the providers' fake servers send back, so pipelines with routers and extraction run without a model.
 *
 * Rules: `const` and `default` win; an `enum` takes the value the `hint` (the last user message) mentions verbatim,
 * case-insensitively, the longest such one, else its first value, so an LLM router is steerable offline; objects
 * get every `required` property (every property when the schema lists none); strings honour `format`/`minLength`;
 * numbers their minimum; arrays `minItems` items; `anyOf`/`oneOf` their first branch; local `$ref`s resolve.
 */
export function sampleJson(schema: unknown, hint = ''): JsonValue {
  return sample(schema, schema, hint.toLowerCase(), 0);
}

// A recursive `$ref` (a tree of nodes) would otherwise never end.
const MAX_DEPTH = 12;

type Schema = Record<string, unknown>;

function sample(node: unknown, root: unknown, hint: string, depth: number): JsonValue {
  if (typeof node !== 'object' || node === null || Array.isArray(node) || depth > MAX_DEPTH) return null;
  const schema = node as Schema;
  if (schema.const !== undefined) return schema.const as JsonValue;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return pickEnum(schema.enum as JsonValue[], hint);
  if (schema.default !== undefined) return schema.default as JsonValue;
  if (typeof schema.$ref === 'string') return sample(resolve(schema.$ref, root), root, hint, depth + 1);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.length > 0) return sample(branches[0], root, hint, depth + 1);
  }
  const declared = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type = declared.find((candidate) => candidate !== 'null') ?? declared[0] ?? guessType(schema);
  switch (type) {
    case 'object':
      return sampleObject(schema, root, hint, depth);
    case 'array': {
      const count = typeof schema.minItems === 'number' ? Math.min(schema.minItems, 10) : 0;
      return Array.from({ length: count }, () => sample(schema.items ?? {}, root, hint, depth + 1));
    }
    case 'string':
      return sampleString(schema);
    case 'integer':
    case 'number':
      return sampleNumber(schema, type === 'integer');
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return null;
  }
}

function guessType(schema: Schema): string | undefined {
  if (schema.properties !== undefined) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

function pickEnum(values: JsonValue[], hint: string): JsonValue {
  let best: string | undefined;
  for (const value of values) {
    if (typeof value !== 'string' || value === '' || !hint.includes(value.toLowerCase())) continue;
    if (best === undefined || value.length > best.length) best = value;
  }
  return best ?? (values[0] as JsonValue);
}

function sampleObject(schema: Schema, root: unknown, hint: string, depth: number): JsonValue {
  const properties =
    typeof schema.properties === 'object' && schema.properties !== null ? (schema.properties as Schema) : {};
  const required = Array.isArray(schema.required)
    ? schema.required.filter((name): name is string => typeof name === 'string')
    : Object.keys(properties);
  const value: Record<string, JsonValue> = {};
  for (const name of required) value[name] = sample(properties[name] ?? {}, root, hint, depth + 1);
  return value;
}

function sampleString(schema: Schema): string {
  const byFormat: Record<string, string> = {
    date: '2026-01-01',
    'date-time': '2026-01-01T00:00:00Z',
    time: '00:00:00',
    email: 'user@example.com',
    uri: 'https://example.com/',
    uuid: '00000000-0000-4000-8000-000000000000',
  };
  let text = (typeof schema.format === 'string' ? byFormat[schema.format] : undefined) ?? 'text';
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  if (text.length < min) text = text.padEnd(min, 'x');
  if (typeof schema.maxLength === 'number' && text.length > schema.maxLength) text = text.slice(0, schema.maxLength);
  return text;
}

function sampleNumber(schema: Schema, integer: boolean): number {
  let value = 0;
  if (typeof schema.minimum === 'number') value = schema.minimum;
  else if (typeof schema.exclusiveMinimum === 'number') value = schema.exclusiveMinimum + 1;
  else if (typeof schema.maximum === 'number' && schema.maximum < 0) value = schema.maximum;
  else if (typeof schema.exclusiveMaximum === 'number' && schema.exclusiveMaximum <= 0)
    value = schema.exclusiveMaximum - 1;
  return integer ? Math.ceil(value) : value;
}

/** `#/$defs/name`-style pointers into the root schema. */
function resolve(ref: string, root: unknown): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~');
    node = typeof node === 'object' && node !== null ? (node as Schema)[key] : undefined;
  }
  return node;
}

import { isRecord, type JsonSchema } from './types.ts';

/**
 * Turns an OpenAPI Schema Object (already dereferenced) into a plain JSON Schema (draft 2020-12) that a model can
 * fill and @cfworker/json-schema can check the model's arguments against:
 * - 3.0's `nullable: true` becomes `type: [t, 'null']` (3.1 writes that itself);
 * - 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` (draft-04 style) become the numeric 2020-12 keywords;
 * - OpenAPI-only keywords (`example`, `xml`, `externalDocs`, `discriminator`, `x-*`) are dropped;
 * - `readOnly` properties are dropped from request schemas: the server sets them ("SHOULD NOT be sent as part of
 *   the request", OpenAPI 3.0 Schema Object), and a model told about them would send them.
 */
export function toJsonSchema(schema: unknown, openapi30: boolean): JsonSchema {
  const out = convert(schema, openapi30);
  return isRecord(out) ? out : {};
}

const DROPPED = new Set(['example', 'xml', 'externalDocs', 'discriminator', 'nullable', '$schema', '$id']);
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_ONES = [
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
];

function convert(schema: unknown, openapi30: boolean): unknown {
  if (typeof schema === 'boolean') return schema;
  if (!isRecord(schema)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key) || key.startsWith('x-')) continue;
    if (SCHEMA_MAPS.includes(key) && isRecord(value)) {
      const map: Record<string, unknown> = {};
      for (const [name, child] of Object.entries(value)) {
        if (key === 'properties' && isRecord(child) && child.readOnly === true) continue;
        map[name] = convert(child, openapi30);
      }
      out[key] = map;
    } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map((child) => convert(child, openapi30));
    } else if (SCHEMA_ONES.includes(key)) {
      out[key] = convert(value, openapi30);
    } else if (key === 'items') {
      out[key] = Array.isArray(value) ? value.map((child) => convert(child, openapi30)) : convert(value, openapi30);
    } else {
      out[key] = value;
    }
  }
  if (isRecord(schema.properties) && Array.isArray(out.required)) {
    const props = schema.properties;
    out.required = out.required.filter((name) => !(isRecord(props[name]) && props[name].readOnly === true));
    if ((out.required as unknown[]).length === 0) delete out.required;
  }
  if (openapi30) {
    if (schema.nullable === true) {
      if (typeof out.type === 'string') out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    }
    for (const [flag, bound] of [
      ['exclusiveMinimum', 'minimum'],
      ['exclusiveMaximum', 'maximum'],
    ] as const) {
      if (typeof out[flag] !== 'boolean') continue;
      if (out[flag] === true && typeof out[bound] === 'number') {
        out[flag] = out[bound];
        delete out[bound];
      } else {
        delete out[flag];
      }
    }
  }
  return out;
}

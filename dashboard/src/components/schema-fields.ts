/**
 * Maps a JSON Schema property to the kind of field that edits it, for the controlled settings forms
 * (SchemaEditor.tsx; the node settings panel). Pure so the mapping is unit-tested. Zod's `toJSONSchema` writes
 * optional fields as plain properties, nullable ones as `anyOf [T, null]`, and unions as `anyOf`.
 */
import type { JsonSchema } from '../lib/types';

export type FieldKind =
  | 'boolean'
  | 'enum'
  | 'number'
  | 'text'
  | 'textarea'
  | 'prompt'
  | 'code'
  | 'object'
  | 'array'
  | 'collections'
  | 'tools'
  | 'json';

/** The schema without a `null` alternative (`anyOf: [T, {type: 'null'}]` → T). */
export function unwrapNullable(schema: JsonSchema): JsonSchema {
  const options = schema.anyOf ?? schema.oneOf;
  if (!options) return schema;
  const rest = options.filter((option) => option.type !== 'null');
  const only = rest[0];
  return rest.length === 1 && only
    ? { ...only, title: schema.title ?? only.title, description: schema.description ?? only.description }
    : schema;
}

const typeOf = (schema: JsonSchema) =>
  Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;

/**
 * Knowledge sources (plugins/sdk/node/knowledge.ts: the retrieval node and the LLM node's `knowledge`) name the team's
 * collections by id in `collectionIds`: the editor offers them by name instead of asking for ids.
 */
const COLLECTIONS_KEY = 'collectionIds';

/** An LLM node's `tools` (tool ids of the catalog, GET /api/v1/tools): the editor offers the tool picker. */
const TOOLS_KEY = 'tools';

const PROMPT_KEY = /prompt|template|instructions|message|reply|body|subject/i;
const CODE_KEY = /^(code|source|script)$/i;

export function fieldKind(key: string, input: JsonSchema): FieldKind {
  const schema = unwrapNullable(input);
  if (schema.enum) return 'enum';
  if (schema.anyOf || schema.oneOf) {
    const options = schema.anyOf ?? schema.oneOf ?? [];
    return options.every((option) => option.const !== undefined) ? 'enum' : 'json';
  }
  const type = typeOf(schema);
  if (type === 'boolean') return 'boolean';
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'object') return schema.properties ? 'object' : 'json';
  if (type === 'array' && key === COLLECTIONS_KEY && schema.items && typeOf(schema.items) === 'string')
    return 'collections';
  if (type === 'array' && key === TOOLS_KEY && schema.items && typeOf(schema.items) === 'string') return 'tools';
  if (type === 'array') return schema.items && fieldKind('', schema.items) !== 'json' ? 'array' : 'json';
  if (type === 'string') {
    if (schema.format === 'code' || CODE_KEY.test(key)) return 'code';
    if (schema.format === 'prompt' || PROMPT_KEY.test(key)) return 'prompt';
    return (schema.maxLength ?? 0) > 200 ? 'textarea' : 'text';
  }
  return 'json';
}

/** The choices of an enum field, from `enum` or from an `anyOf` of `const`s. */
export function enumOptions(input: JsonSchema): unknown[] {
  const schema = unwrapNullable(input);
  return schema.enum ?? (schema.anyOf ?? schema.oneOf ?? []).map((option) => option.const);
}

/** A value that fits an empty field of this schema (a new array item, a freshly shown object). */
export function emptyValue(input: JsonSchema): unknown {
  const schema = unwrapNullable(input);
  if (schema.default !== undefined) return structuredClone(schema.default);
  switch (fieldKind('', schema)) {
    case 'boolean':
      return false;
    case 'number':
      return schema.minimum ?? 0;
    case 'enum':
      return enumOptions(schema)[0];
    case 'object': {
      const required = new Set(schema.required ?? []);
      return Object.fromEntries(
        Object.entries(schema.properties ?? {})
          .filter(([key]) => required.has(key))
          .map(([key, property]) => [key, emptyValue(property)]),
      );
    }
    case 'array':
      return [];
    case 'json':
      return null;
    default:
      return '';
  }
}

/** A number field's text back to a value: empty clears an optional field. */
export function parseNumber(text: string, schema: JsonSchema): number | undefined {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  return typeOf(unwrapNullable(schema)) === 'integer' ? Math.trunc(value) : value;
}

/** Sets or clears one key; `undefined` removes it, so optional settings fall back to their defaults. */
export function withKey(value: Record<string, unknown>, key: string, next: unknown): Record<string, unknown> {
  const copy = { ...value };
  if (next === undefined) delete copy[key];
  else copy[key] = next;
  return copy;
}

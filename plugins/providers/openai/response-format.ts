import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import type { ChatRequest, JsonObject } from '../../sdk/index.ts';

/**
 * `ChatRequest.responseFormat` as Chat Completions' `response_format: { type: 'json_schema', json_schema }`
 * (platform.openai.com/docs/guides/structured-outputs). `strict: true` makes the API guarantee the schema, but it
 * only takes schemas where every object lists all its properties in `required` and sets `additionalProperties:
 * false`; any other schema is sent with `strict: false` (the model is steered by it, the host still validates).
 */
export function toResponseFormat(format: NonNullable<ChatRequest['responseFormat']>): ResponseFormatJSONSchema {
  return {
    type: 'json_schema',
    json_schema: { name: formatName(format.name), schema: format.schema, strict: isStrictSchema(format.schema) },
  };
}

/** The API's name rule: a–z, A–Z, 0–9, `_` and `-`, at most 64 characters. */
export function formatName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return cleaned === '' ? 'response' : cleaned;
}

/** Whether OpenAI's strict mode accepts `schema`: every object closed and fully required, recursively. */
export function isStrictSchema(schema: JsonObject): boolean {
  return strictProblem(schema, '') === undefined;
}

/** The first place strict mode would refuse, as the path the API names (`properties/a/items`), or undefined. */
export function strictProblem(node: unknown, path: string): string | undefined {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
  const schema = node as Record<string, unknown>;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const properties = schema.properties;
  if (types.includes('object') || typeof properties === 'object') {
    if (schema.additionalProperties !== false) return `${path}: additionalProperties must be false`;
    const names = typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
    const required = Array.isArray(schema.required) ? schema.required : [];
    const missing = names.find((name) => !required.includes(name));
    if (missing !== undefined) return `${path}: required must list every property (missing '${missing}')`;
    for (const name of names) {
      const problem = strictProblem((properties as Record<string, unknown>)[name], `${path}/properties/${name}`);
      if (problem) return problem;
    }
  }
  for (const key of ['items', 'anyOf', '$defs'] as const) {
    const child = schema[key];
    const children = Array.isArray(child)
      ? child
      : key === '$defs' && typeof child === 'object' && child !== null
        ? Object.values(child)
        : [child];
    for (const [index, entry] of children.entries()) {
      const problem = strictProblem(entry, `${path}/${key}${key === 'items' ? '' : `/${index}`}`);
      if (problem) return problem;
    }
  }
  return undefined;
}

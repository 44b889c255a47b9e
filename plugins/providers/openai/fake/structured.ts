/**
 * Structured outputs as the API checks and answers them (platform.openai.com/docs/guides/structured-outputs):
 * `response_format: { type: 'json_schema', json_schema: { name, schema, strict } }`. The name follows the function
 * name rule; with `strict: true` every object must set `additionalProperties: false` and require all its
 * properties, else a 400 "Invalid schema for response_format". The answer is a JSON value satisfying the schema
 * (the SDK's sampleJson: an enum takes the value the last user message names).
 */
import { sampleJson } from '../../../sdk/json-sample.ts';
import type { ApiError } from './wire.ts';
import { errors } from './wire.ts';

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export interface JsonSchemaFormat {
  name: string;
  schema: Record<string, unknown>;
  strict: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The request's json_schema format, undefined for text (or `json_object`), or the error the API answers. */
export function checkResponseFormat(raw: unknown): JsonSchemaFormat | ApiError | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) return errors.invalid('response_format', 'expected an object.', 'invalid_type');
  if (raw.type === 'text' || raw.type === 'json_object') return undefined;
  if (raw.type !== 'json_schema') {
    return errors.invalid(
      'response_format.type',
      `Invalid value: '${String(raw.type)}'. Supported values are: 'json_object', 'json_schema', and 'text'.`,
    );
  }
  const format = raw.json_schema;
  if (!isRecord(format)) return errors.missing('response_format.json_schema');
  if (typeof format.name !== 'string') return errors.missing('response_format.json_schema.name');
  if (!NAME.test(format.name)) {
    return errors.invalid(
      'response_format.json_schema.name',
      "string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
    );
  }
  if (!isRecord(format.schema)) return errors.missing('response_format.json_schema.schema');
  const strict = format.strict === true;
  if (strict) {
    const problem = strictProblem(format.schema, []);
    if (problem) {
      return errors.invalid(
        'response_format',
        `Invalid schema for response_format '${format.name}': In context=(${problem.context}), ${problem.message}.`,
        'invalid_json_schema',
      );
    }
  }
  return { name: format.name, schema: format.schema, strict };
}

function strictProblem(node: unknown, context: string[]): { context: string; message: string } | undefined {
  if (!isRecord(node)) return undefined;
  const at = context.map((part) => `'${part}'`).join(', ');
  if (node.type === 'object' || isRecord(node.properties)) {
    if (node.additionalProperties !== false) {
      return { context: at, message: "'additionalProperties' is required to be supplied and to be false" };
    }
    const properties = isRecord(node.properties) ? node.properties : {};
    const required = Array.isArray(node.required) ? node.required : [];
    for (const [name, child] of Object.entries(properties)) {
      if (!required.includes(name)) {
        return {
          context: at,
          message: `'required' is required to be supplied and to be an array including every key in properties. Missing '${name}'`,
        };
      }
      const problem = strictProblem(child, [...context, 'properties', name]);
      if (problem) return problem;
    }
  }
  if (node.items !== undefined) return strictProblem(node.items, [...context, 'items']);
  return undefined;
}

/** The answer's JSON text, spaced so the stream has several deltas. */
export function structuredAnswer(format: JsonSchemaFormat, lastUserText: string): string {
  return JSON.stringify(sampleJson(format.schema, lastUserText), null, 1).replace(/\n\s*/g, ' ');
}

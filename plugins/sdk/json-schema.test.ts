import { describe, expect, it } from 'vitest';
import { sampleJson } from './json-sample.ts';
import { outputSchemaProblems, validateJson } from './json-schema.ts';

const person = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1 },
    age: { type: 'integer', minimum: 0 },
    tags: { type: 'array', items: { type: 'string' } },
    plan: { enum: ['free', 'pro'] },
  },
  required: ['name', 'age'],
  additionalProperties: false,
};

describe('validateJson', () => {
  it('accepts a valid value with no errors', () => {
    expect(validateJson(person, { name: 'Ada', age: 36, tags: ['x'], plan: 'pro' })).toEqual({
      valid: true,
      errors: [],
    });
  });

  it('names each problem by JSON pointer, with the failing leaf and not its wrappers', () => {
    const result = validateJson(person, { age: 1.5, tags: ['a', 2], plan: 'gold', extra: true });
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([
      '/: does not have required property "name"',
      '/age: type "number" is invalid. Expected "integer"',
      '/tags/1: type "number" is invalid. Expected "string"',
      '/plan: does not match any of ["free","pro"]',
      '/extra: is not allowed here',
    ]);
  });

  it('escapes nothing the reader needs: keys with spaces read plainly', () => {
    const schema = { type: 'object', properties: { 'first name': { type: 'string' } } };
    expect(validateJson(schema, { 'first name': 3 }).errors).toEqual([
      '/first name: type "number" is invalid. Expected "string"',
    ]);
  });

  it('bounds the number of errors', () => {
    const schema = { type: 'array', items: { type: 'string' } };
    expect(
      validateJson(
        schema,
        Array.from({ length: 50 }, (_, i) => i),
        5,
      ).errors,
    ).toHaveLength(5);
  });

  it('reports an unusable schema as one error instead of throwing', () => {
    const result = validateJson({ type: 'object', $ref: '#/$defs/missing' }, {});
    expect(result.valid).toBe(false);
    expect(result.errors[0]).toMatch(/^\/: the schema cannot be used/);
  });
});

describe('outputSchemaProblems', () => {
  it('accepts an object schema with properties', () => {
    expect(outputSchemaProblems(person)).toEqual([]);
  });

  it('refuses what is not an object schema with properties', () => {
    expect(outputSchemaProblems('x')).toEqual(['/: must be a JSON object']);
    expect(outputSchemaProblems({ type: 'string' })).toContain('/type: must be "object"');
    expect(outputSchemaProblems({ type: 'object', properties: {} })).toEqual([
      '/properties: must name at least one property',
    ]);
  });

  it('points into the schema at unknown types, remote refs and empty enums', () => {
    const problems = outputSchemaProblems({
      type: 'object',
      properties: {
        a: { type: 'text' },
        b: { $ref: 'https://example.com/schema.json' },
        c: { type: 'array', items: { enum: [] } },
      },
    });
    expect(problems).toEqual([
      '/properties/a/type: unknown type "text"',
      '/properties/b/$ref: only local references (#/$defs/…) are allowed',
      '/properties/c/items/enum: must be a non-empty list',
    ]);
  });

  it('refuses schemas nested too deep or too large', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 8; i++) deep = { type: 'object', properties: { x: deep } };
    expect(outputSchemaProblems(deep).join()).toMatch(/nests deeper than 6 levels/);
    const wide = {
      type: 'object',
      properties: Object.fromEntries(
        Array.from({ length: 500 }, (_, i) => [`field_${i}`, { type: 'string', description: 'x'.repeat(30) }]),
      ),
    };
    expect(outputSchemaProblems(wide).join()).toMatch(/larger than 16384 bytes/);
  });
});

describe('sampleJson', () => {
  it('satisfies the schema it samples', () => {
    const value = sampleJson(person);
    expect(value).toEqual({ name: 'text', age: 0 });
    expect(validateJson(person, value).valid).toBe(true);
  });

  it('picks the enum value the hint names (longest match, any case), else the first', () => {
    const schema = {
      type: 'object',
      properties: { route: { enum: ['help', 'helpdesk', 'sales'] } },
      required: ['route'],
    };
    expect(sampleJson(schema, 'Please connect me to the HELPDESK')).toEqual({ route: 'helpdesk' });
    expect(sampleJson(schema, 'nothing relevant')).toEqual({ route: 'help' });
  });

  it('fills every property when none is required, resolves local refs and honours formats and bounds', () => {
    const schema = {
      type: 'object',
      $defs: { when: { type: 'string', format: 'date' } },
      properties: {
        when: { $ref: '#/$defs/when' },
        code: { type: 'string', minLength: 6 },
        count: { type: 'integer', exclusiveMinimum: 2 },
        list: { type: 'array', minItems: 2, items: { type: 'boolean' } },
        maybe: { type: ['null', 'number'] },
      },
    };
    const value = sampleJson(schema);
    expect(value).toEqual({ when: '2026-01-01', code: 'textxx', count: 3, list: [false, false], maybe: 0 });
    expect(validateJson(schema, value).valid).toBe(true);
  });
});

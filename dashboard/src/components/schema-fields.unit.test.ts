import { describe, expect, it } from 'vitest';
import { emptyValue, enumOptions, fieldKind, parseNumber, unwrapNullable, withKey } from './schema-fields';

describe('JSON Schema → form field', () => {
  it('maps each schema to its field kind', () => {
    expect(fieldKind('stream', { type: 'boolean' })).toBe('boolean');
    // Knowledge sources' collection ids get the collection picker; other string arrays stay lists of fields.
    expect(fieldKind('collectionIds', { type: 'array', items: { type: 'string' } })).toBe('collections');
    expect(fieldKind('tools', { type: 'array', items: { type: 'string' } })).toBe('tools');
    expect(fieldKind('collectionIds', { type: 'array', items: { type: 'number' } })).toBe('array');
    expect(fieldKind('stop', { type: 'array', items: { type: 'string' } })).toBe('array');
    expect(fieldKind('mode', { type: 'string', enum: ['a', 'b'] })).toBe('enum');
    expect(fieldKind('mode', { anyOf: [{ const: 'a' }, { const: 'b' }] })).toBe('enum');
    expect(fieldKind('temperature', { type: 'number' })).toBe('number');
    expect(fieldKind('maxTokens', { type: 'integer' })).toBe('number');
    expect(fieldKind('model', { type: 'string' })).toBe('text');
    expect(fieldKind('systemPrompt', { type: 'string' })).toBe('prompt');
    expect(fieldKind('template', { type: 'string' })).toBe('prompt');
    expect(fieldKind('code', { type: 'string' })).toBe('code');
    expect(fieldKind('x', { type: 'string', format: 'code' })).toBe('code');
    expect(fieldKind('notes', { type: 'string', maxLength: 2000 })).toBe('textarea');
    expect(fieldKind('limits', { type: 'object', properties: { a: { type: 'number' } } })).toBe('object');
    expect(fieldKind('headers', { type: 'object' })).toBe('json');
    expect(fieldKind('rules', { type: 'array', items: { type: 'object', properties: {} } })).toBe('array');
    expect(fieldKind('value', { anyOf: [{ type: 'string' }, { type: 'number' }] })).toBe('json');
  });

  it('sees through nullable wrappers', () => {
    expect(fieldKind('model', { anyOf: [{ type: 'string' }, { type: 'null' }] })).toBe('text');
    expect(unwrapNullable({ title: 'T', anyOf: [{ type: 'number' }, { type: 'null' }] })).toEqual({
      type: 'number',
      title: 'T',
      description: undefined,
    });
  });

  it('gives new items a value that fits', () => {
    expect(
      emptyValue({
        type: 'object',
        required: ['port', 'operator'],
        properties: { port: { type: 'string' }, operator: { enum: ['equals', 'regex'] }, value: { type: 'string' } },
      }),
    ).toEqual({ port: '', operator: 'equals' });
    expect(emptyValue({ type: 'number', minimum: 1 })).toBe(1);
    expect(emptyValue({ type: 'array', items: { type: 'string' } })).toEqual([]);
    expect(emptyValue({ type: 'string', default: 'x' })).toBe('x');
    expect(enumOptions({ anyOf: [{ const: 1 }, { const: 2 }] })).toEqual([1, 2]);
  });

  it('reads numbers and clears optional keys', () => {
    expect(parseNumber('', { type: 'number' })).toBeUndefined();
    expect(parseNumber('2.7', { type: 'integer' })).toBe(2);
    expect(parseNumber('0.25', { type: 'number' })).toBe(0.25);
    expect(withKey({ a: 1, b: 2 }, 'a', undefined)).toEqual({ b: 2 });
    expect(withKey({ a: 1 }, 'b', 3)).toEqual({ a: 1, b: 3 });
  });
});

import { describe, expect, it } from 'vitest';
import { DerefBudgetError, dereference, issuePath, MAX_DEREF_NODES, MAX_REF_DEPTH, resolveRef } from './refs.ts';

describe('refs', () => {
  it('formats issue paths with dots and array indexes', () => {
    expect(issuePath(['paths', '/pets/{id}', 'get', 'parameters', 0])).toBe('paths./pets/{id}.get.parameters[0]');
    expect(issuePath([])).toBe('');
  });

  it('resolves JSON pointers with ~1, ~0 and percent escapes', () => {
    const document = { paths: { '/a/{b}': { get: 1 } }, 'x~y': 2, list: [10, 20] };
    expect(resolveRef(document, '#/paths/~1a~1%7Bb%7D/get')).toBe(1);
    expect(resolveRef(document, '#/x~0y')).toBe(2);
    expect(resolveRef(document, '#/list/1')).toBe(20);
    expect(resolveRef(document, '#/nope')).toBeUndefined();
    expect(resolveRef(document, 'other.yaml#/a')).toBeUndefined();
    expect(resolveRef(document, '#/__proto__')).toBeUndefined();
  });

  it('inlines refs, with a 3.1 ref sibling overriding the target', () => {
    const document = { components: { schemas: { Id: { type: 'string', description: 'an id' } } } };
    const value = { properties: { id: { $ref: '#/components/schemas/Id', description: 'the pet id' } } };
    expect(dereference(value, document)).toEqual({ properties: { id: { type: 'string', description: 'the pet id' } } });
    expect(value.properties.id.$ref).toBe('#/components/schemas/Id'); // the document is not mutated
  });

  it('cuts a cycle at its first repetition: the repeated ref becomes {}', () => {
    const document = {
      components: {
        schemas: {
          Node: { type: 'object', properties: { next: { $ref: '#/components/schemas/Node' } } },
        },
      },
    };
    expect(dereference({ $ref: '#/components/schemas/Node' }, document)).toEqual({
      type: 'object',
      properties: { next: {} },
    });
  });

  it(`stops a chain of distinct refs at depth ${MAX_REF_DEPTH}`, () => {
    const schemas: Record<string, unknown> = {};
    for (let i = 0; i < 50; i += 1) schemas[`S${i}`] = { items: { $ref: `#/components/schemas/S${i + 1}` } };
    schemas.S50 = { type: 'string' };
    let node = dereference({ $ref: '#/components/schemas/S0' }, { components: { schemas } }) as Record<string, unknown>;
    let depth = 0;
    while (node.items) {
      node = node.items as Record<string, unknown>;
      depth += 1;
    }
    expect(depth).toBe(MAX_REF_DEPTH);
    expect(node).toEqual({});
  });

  it(`refuses a doubling ref graph past ${MAX_DEREF_NODES} nodes`, () => {
    const schemas: Record<string, unknown> = {};
    for (let i = 0; i < 30; i += 1) {
      schemas[`S${i}`] = {
        allOf: [{ $ref: `#/components/schemas/S${i + 1}` }, { $ref: `#/components/schemas/S${i + 1}` }],
      };
    }
    schemas.S30 = { type: 'string' };
    expect(() => dereference({ $ref: '#/components/schemas/S0' }, { components: { schemas } })).toThrow(
      DerefBudgetError,
    );
  });
});

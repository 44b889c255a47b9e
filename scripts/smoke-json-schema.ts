/**
 * Proves the structured-output stack runs with code generation from strings disabled, as in a deployed Worker
 * (which refuses `eval` and `new Function`; ajv compiles schemas with `new Function`, @cfworker/json-schema does not):
 *
 *   node --disallow-code-generation-from-strings --import tsx scripts/smoke-json-schema.ts
 *
 * It first checks the flag is in force (`new Function` must throw), then validates, samples and checks a schema.
 */
import { strict as assert } from 'node:assert';
import { outputSchemaProblems, sampleJson, validateJson } from '../plugins/sdk/index.ts';

let generated = true;
try {
  new Function('return 1')();
} catch {
  generated = false;
}
assert.equal(generated, false, 'run with --disallow-code-generation-from-strings: code generation still works');

const schema = {
  type: 'object',
  properties: {
    route: { type: 'string', enum: ['billing', 'support'] },
    email: { type: 'string', format: 'email', pattern: '^[^@]+@[^@]+$' },
    items: { type: 'array', items: { $ref: '#/$defs/item' } },
  },
  required: ['route', 'email'],
  additionalProperties: false,
  $defs: { item: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] } },
};
assert.deepEqual(outputSchemaProblems(schema), []);
const sample = sampleJson(schema, 'this is about support');
assert.deepEqual(sample, { route: 'support', email: 'user@example.com' });
assert.deepEqual(validateJson(schema, sample), { valid: true, errors: [] });
const bad = validateJson(schema, { route: 'sales', email: 'nope', items: [{}], extra: 1 });
assert.equal(bad.valid, false);
assert.ok(
  bad.errors.some((line) => line.startsWith('/items/0: ')),
  bad.errors.join('\n'),
);
console.log(
  `json-schema smoke: ok without code generation (${bad.errors.length} errors reported: ${bad.errors.join(' | ')})`,
);

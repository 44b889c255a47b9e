/**
 * Proves the custom-actions spec path runs with code generation from strings disabled, as in a deployed Worker
 * (which refuses `eval` and `new Function`; every OpenAPI parser's `validate()` compiles ajv code, our parse
 * validates with @cfworker/json-schema):
 *
 *   node --disallow-code-generation-from-strings --import tsx scripts/smoke-openapi.ts
 *
 * It checks the flag is in force, then parses and validates a 3.0 YAML and a 3.1 JSON document, lists their
 * operations, builds a request (argument validation), and checks an invalid document is reported, not thrown.
 */
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { listOperations } from '../worker/custom-actions/spec/operations.ts';
import { parseSpec } from '../worker/custom-actions/spec/parse.ts';
import { buildRequest } from '../worker/custom-actions/spec/request.ts';

let generated = true;
try {
  new Function('return 1')();
} catch {
  generated = false;
}
assert.equal(generated, false, 'run with --disallow-code-generation-from-strings: code generation still works');

const fixtures = new URL('../worker/custom-actions/spec/fixtures/', import.meta.url);
let operations = 0;
for (const file of ['petstore-3.0.yaml', 'bookings-3.1.json']) {
  const parsed = parseSpec(await readFile(new URL(file, fixtures), 'utf8'));
  assert.ok(parsed.ok, `${file}: ${JSON.stringify(parsed.ok ? [] : parsed.issues)}`);
  const ops = listOperations(parsed.spec);
  assert.ok(ops.length > 0, `${file}: no operations`);
  operations += ops.length;
  const first = ops[0];
  assert.ok(first);
  const refused = buildRequest(first, 'https://api.example', { path: { nope: 1 }, query: { nope: 1 } });
  assert.equal(refused.ok, false, `${file}: arguments not checked`);
}
const invalid = parseSpec('openapi: 3.1.0\ninfo:\n  title: no version\npaths: {}\n');
assert.ok(!invalid.ok && invalid.issues.some((issue) => issue.path === 'info'), JSON.stringify(invalid));
console.log(`openapi smoke: ok without code generation (2 documents, ${operations} operations, invalid one reported)`);

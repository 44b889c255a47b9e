import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseSpec } from './parse.ts';
import { BOOKINGS_31_JSON, mustParse, PETSTORE_30_YAML } from './testing.ts';

const minimal = (extra: Record<string, unknown> = {}) => ({
  openapi: '3.0.3',
  info: { title: 'T', version: '1' },
  paths: {},
  ...extra,
});

describe('parseSpec', () => {
  it('reads a 3.0 YAML document: title, version, servers with variables filled in', () => {
    const spec = mustParse(PETSTORE_30_YAML);
    expect(spec).toMatchObject({ openapi: '3.0.3', title: 'Swagger Petstore', version: '1.0.0' });
    expect(spec.servers).toEqual(['https://eu.petstore.example/v1']);
    expect(Object.keys(spec.document.paths as object)).toContain('/pets/{petId}');
  });

  it('reads a 3.1 JSON document (type arrays with null, examples, $ref with siblings)', () => {
    const spec = mustParse(BOOKINGS_31_JSON);
    expect(spec).toMatchObject({ openapi: '3.1.0', title: 'Bookings', version: '2.3.0' });
    expect(spec.servers).toEqual(['https://api.bookings.example']);
  });

  it('reads the same document as JSON or YAML', () => {
    const asYaml = stringify(JSON.parse(BOOKINGS_31_JSON));
    expect(mustParse(asYaml).document).toEqual(mustParse(BOOKINGS_31_JSON).document);
  });

  it('refuses Swagger 2.0 with a clear issue', () => {
    const result = parseSpec(JSON.stringify({ swagger: '2.0', info: { title: 'T', version: '1' }, paths: {} }));
    expect(result).toEqual({
      ok: false,
      issues: [{ path: 'swagger', message: expect.stringContaining('Swagger 2.0 is not supported: convert') }],
    });
  });

  it('refuses other versions and documents that are not OpenAPI', () => {
    const v32 = parseSpec(JSON.stringify(minimal({ openapi: '3.2.0' })));
    expect(v32.ok === false && v32.issues[0]).toEqual({
      path: 'openapi',
      message: 'OpenAPI 3.2.0 is not supported: use a 3.0.x or 3.1.x document',
    });
    const none = parseSpec('title: hello');
    expect(none.ok === false && none.issues[0]?.path).toBe('openapi');
    expect(parseSpec('- a\n- b')).toMatchObject({
      ok: false,
      issues: [{ path: '', message: expect.stringMatching(/object/) }],
    });
    expect(parseSpec('   ')).toMatchObject({ ok: false, issues: [{ message: 'the spec is empty' }] });
  });

  it('reports broken JSON and YAML with where it broke', () => {
    const json = parseSpec('{"openapi": "3.0.0",');
    expect(json.ok === false && json.issues[0]?.message).toMatch(/^not valid JSON: /);
    const yaml = parseSpec('openapi: 3.0.0\ninfo:\n  title: a\n   bad: [');
    expect(yaml.ok === false && yaml.issues[0]?.message).toMatch(/^not valid YAML \(line \d+, column \d+\): /);
    const duplicate = parseSpec('openapi: 3.0.0\nopenapi: 3.1.0\n');
    expect(duplicate.ok === false && duplicate.issues[0]?.message).toMatch(/unique/i);
  });

  it('refuses a YAML alias bomb instead of expanding it', () => {
    const lines = ['openapi: 3.0.0', 'a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i <= 12; i += 1)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const result = parseSpec(lines.join('\n'));
    expect(result.ok === false && result.issues[0]?.message).toMatch(/^the YAML cannot be read: .*alias/i);
  });

  it('names the path of each schema problem (3.0: missing info.version, a path without "/", a bad parameter)', () => {
    const result = parseSpec(
      JSON.stringify({
        openapi: '3.0.3',
        info: { title: 'T' },
        paths: {
          'no-slash': {},
          '/pets/{id}': {
            get: { parameters: [{ name: 'id', in: 'nowhere' }], responses: { 200: { description: 'ok' } } },
          },
        },
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.issues.map((issue) => issue.path);
    expect(result.issues).toContainEqual({ path: 'info', message: 'does not have required property "version"' });
    expect(result.issues).toContainEqual({ path: 'paths.no-slash', message: 'is not allowed here' });
    expect(paths.some((path) => path.startsWith('paths./pets/{id}.get.parameters[0]'))).toBe(true);
  });

  it('names the path of a 3.1 schema problem', () => {
    const document = JSON.parse(BOOKINGS_31_JSON);
    document.paths['/rooms/{roomId}/bookings'].get.responses = 'none';
    const result = parseSpec(JSON.stringify(document));
    expect(result.ok === false && result.issues.map((issue) => issue.path)).toContain(
      'paths./rooms/{roomId}/bookings.get.responses',
    );
  });

  it('refuses external and dangling $refs, naming where they are', () => {
    const result = parseSpec(
      stringify(
        minimal({
          paths: {
            '/a': {
              get: {
                parameters: [{ $ref: 'https://example.com/common.yaml#/components/parameters/limit' }],
                responses: {
                  200: {
                    description: 'ok',
                    content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } },
                  },
                },
              },
            },
          },
        }),
      ),
    );
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          path: 'paths./a.get.parameters[0].$ref',
          message:
            'external $ref "https://example.com/common.yaml#/components/parameters/limit" is not supported: put the definition in this document',
        },
        {
          path: 'paths./a.get.responses.200.content.application/json.schema.$ref',
          message: '$ref "#/components/schemas/Nope" points at nothing in this document',
        },
      ],
    });
  });

  it('refuses an operationId used twice', () => {
    const op = { operationId: 'same', responses: { 200: { description: 'ok' } } };
    const result = parseSpec(JSON.stringify(minimal({ paths: { '/a': { get: op }, '/b': { post: op } } })));
    expect(result).toEqual({
      ok: false,
      issues: [
        { path: 'paths./b.post.operationId', message: 'operationId "same" is also used at paths./a.get.operationId' },
      ],
    });
  });
});

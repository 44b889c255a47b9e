import { describe, expect, it } from 'vitest';
import { listOperations } from './operations.ts';
import { buildRequest, encodeRfc3986, MAX_URL_CHARS } from './request.ts';
import { mustParse, PETSTORE_30_YAML } from './testing.ts';
import type { ActionOperation } from './types.ts';

const op = (id: string): ActionOperation => {
  const found = listOperations(mustParse(PETSTORE_30_YAML)).find((o) => o.operationId === id);
  if (!found) throw new Error(id);
  return found;
};
const BASE = 'https://eu.petstore.example/v1/';

/** An operation with a string path parameter, for encoding tests. */
const byName: ActionOperation = {
  ...op('delete pet!'),
  path: '/files/{name}/meta',
  method: 'get',
};

describe('buildRequest', () => {
  it('puts path, query and header arguments in place', () => {
    const result = buildRequest(op('get_pets_petId'), BASE, { path: { petId: 7 }, header: { 'X-Request-Id': 'r-1' } });
    expect(result).toEqual({
      ok: true,
      request: { method: 'GET', url: 'https://eu.petstore.example/v1/pets/7', headers: { 'x-request-id': 'r-1' } },
    });
  });

  it('encodes path parameters per RFC 3986: "/", spaces, unicode and sub-delims', () => {
    const result = buildRequest(byName, 'https://files.example', { path: { petId: 'a/b c é(1)*' } });
    // byName's template is /files/{name}/meta but its schema still requires petId: "name" is unfilled.
    expect(result).toEqual({ ok: false, error: 'missing required path parameter "name"' });
    const named: ActionOperation = {
      ...byName,
      parameters: {
        type: 'object',
        properties: { path: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
        required: ['path'],
      },
    };
    const ok = buildRequest(named, 'https://files.example', { path: { name: 'a/b c é(1)*' } });
    expect(ok.ok && ok.request.url).toBe('https://files.example/files/a%2Fb%20c%20%C3%A9%281%29%2A/meta');
    expect(encodeRfc3986("it's ~ok!")).toBe('it%27s%20~ok%21');
  });

  it('form-explodes query arrays and keeps the base URL’s own query', () => {
    const result = buildRequest(op('listPets'), 'https://api.example/v1?api-version=2', {
      query: { tags: ['cat', 'small dog'], limit: 5 },
    });
    expect(result.ok && result.request.url).toBe(
      'https://api.example/v1/pets?api-version=2&tags=cat&tags=small%20dog&limit=5',
    );
  });

  it('serialises a JSON body with its content type', () => {
    const result = buildRequest(op('createPet'), BASE, { body: { name: 'Rex', tag: null } });
    expect(result).toEqual({
      ok: true,
      request: {
        method: 'POST',
        url: 'https://eu.petstore.example/v1/pets',
        headers: { 'content-type': 'application/json' },
        body: '{"name":"Rex","tag":null}',
      },
    });
  });

  it('serialises a form body as application/x-www-form-urlencoded', () => {
    const result = buildRequest(op('login'), BASE, { body: { username: 'ada l', password: 'p&ss=1' } });
    expect(result.ok && result.request).toMatchObject({
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=ada+l&password=p%26ss%3D1',
    });
  });

  it('refuses Authorization, Host and other reserved headers from the model, whatever the spec says', () => {
    for (const name of ['Authorization', 'host', 'Cookie', 'Content-Length', 'Transfer-Encoding']) {
      expect(buildRequest(op('get_pets_petId'), BASE, { path: { petId: 1 }, header: { [name]: 'x' } })).toEqual({
        ok: false,
        error: `header "${name}" cannot be set by the model`,
      });
    }
  });

  it('refuses a header value with a line break', () => {
    const result = buildRequest(op('get_pets_petId'), BASE, {
      path: { petId: 1 },
      header: { 'X-Request-Id': 'a\r\nX-Evil: 1' },
    });
    expect(result).toEqual({ ok: false, error: 'header "X-Request-Id" contains a line break' });
  });

  it('names a missing required parameter or body', () => {
    expect(buildRequest(op('get_pets_petId'), BASE, {})).toEqual({
      ok: false,
      error: 'missing required path parameter "petId"',
    });
    expect(buildRequest(op('createPet'), BASE, undefined)).toEqual({
      ok: false,
      error: 'missing required request body',
    });
    expect(buildRequest(op('login'), BASE, { body: { username: 'a' } })).toEqual({
      ok: false,
      error: expect.stringMatching(/^invalid arguments: \/body: .*password/),
    });
  });

  it('validates the arguments against the schema (types, bounds, unknown fields)', () => {
    const zero = buildRequest(op('get_pets_petId'), BASE, { path: { petId: 0 } });
    expect(zero).toEqual({ ok: false, error: expect.stringMatching(/^invalid arguments: \/path\/petId: /) });
    const limit = buildRequest(op('listPets'), BASE, { query: { limit: 100 } });
    expect(limit).toEqual({ ok: false, error: expect.stringMatching(/^invalid arguments: \/query\/limit: /) });
    const extra = buildRequest(op('listPets'), BASE, { query: { nope: 1 } });
    expect(extra).toEqual({ ok: false, error: expect.stringMatching(/^invalid arguments: \/query\/nope: /) });
    expect(buildRequest(op('listPets'), BASE, 'tags=a')).toEqual({
      ok: false,
      error: 'the arguments must be an object {path, query, header, body}',
    });
  });

  it('refuses a base URL that is not absolute http(s), and an over-long URL', () => {
    expect(buildRequest(op('listPets'), '/v1', {})).toEqual({
      ok: false,
      error: 'the base URL "/v1" is not an absolute URL',
    });
    expect(buildRequest(op('listPets'), 'file:///etc', {})).toEqual({
      ok: false,
      error: 'the base URL must be http or https, not file:',
    });
    const long = buildRequest(op('listPets'), BASE, { query: { tags: Array(1000).fill('0123456789') } });
    expect(long).toEqual({ ok: false, error: `the URL is longer than ${MAX_URL_CHARS} characters` });
  });
});

describe('buildRequest with the spec’s style and explode', () => {
  it('serialises path and query parameters as declared (OAS 3.1 §4.8.12.4)', () => {
    const styled: ActionOperation = {
      ...byName,
      path: '/colors/{color}',
      parameters: {
        type: 'object',
        properties: {
          path: { type: 'object', properties: { color: { type: 'array' } }, required: ['color'] },
          query: { type: 'object', properties: { tag: { type: 'array' }, filter: {} } },
        },
        required: ['path'],
      },
      styles: {
        'path:color': { style: 'matrix', explode: true },
        'query:tag': { style: 'pipeDelimited', explode: false },
        'query:filter': { style: 'deepObject', explode: true },
      },
    };
    const result = buildRequest(styled, 'https://api.example', {
      path: { color: ['blue', 'black'] },
      query: { tag: ['a', 'b'], filter: { R: 100 } },
    });
    expect(result.ok && result.request.url).toBe(
      'https://api.example/colors/;color=blue;color=black?tag=a|b&filter[R]=100',
    );
    const bad = buildRequest(styled, 'https://api.example', { path: { color: ['x'] }, query: { filter: 'plain' } });
    expect(bad).toEqual({ ok: false, error: expect.stringContaining('query parameter "filter"') });
  });
});

describe('a binary body', () => {
  const fileId = `file_${'p'.repeat(26)}`;
  const png = { bytes: new Uint8Array([0x89, 0x50]), name: 'cat.png', mimeType: 'image/png' };
  const files = new Map([[fileId, png]]);
  const withTypes = (rawMediaTypes: string[]): ActionOperation => ({ ...op('delete_pet'), rawMediaTypes });

  it('sends the file as the body: its own type when declared or in a range, else octet-stream when declared', () => {
    const args = { path: { petId: '1' }, body: { fileId } };
    const sent = (types: string[]) => {
      const result = buildRequest(withTypes(types), BASE, args, files);
      return result.ok ? { type: result.request.headers['content-type'], body: result.request.body } : result.error;
    };
    expect(sent(['application/octet-stream'])).toEqual({ type: 'application/octet-stream', body: png.bytes });
    expect(sent(['image/*'])).toEqual({ type: 'image/png', body: png.bytes });
    expect(sent(['image/jpeg', 'image/png'])).toEqual({ type: 'image/png', body: png.bytes });
    expect(sent(['application/pdf'])).toBe(`file ${fileId} is image/png; this operation takes application/pdf`);
  });

  it('refuses a body that is no file reference, and a file the caller did not read', () => {
    expect(buildRequest(op('delete_pet'), BASE, { path: { petId: '1' }, body: 'raw text' }, files)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^invalid arguments: /),
    });
    expect(buildRequest(op('delete_pet'), BASE, { path: { petId: '1' }, body: { fileId } })).toEqual({
      ok: false,
      error: `file ${fileId} is not a file of this conversation`,
    });
  });
});

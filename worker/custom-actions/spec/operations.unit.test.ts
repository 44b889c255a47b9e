import { describe, expect, it } from 'vitest';
import {
  listOperations,
  SUMMARY_MAX_CHARS,
  sanitizeToolName,
  securitySchemes,
  TOOL_NAME_PATTERN,
} from './operations.ts';
import { BOOKINGS_31_JSON, mustParse, PETSTORE_30_YAML } from './testing.ts';

const petstore = () => listOperations(mustParse(PETSTORE_30_YAML));
const byId = (id: string) => {
  const op = petstore().find((o) => o.operationId === id);
  if (!op) throw new Error(`no operation ${id}`);
  return op;
};

describe('listOperations (petstore 3.0 YAML)', () => {
  it('lists every operation in document order with method, path and summary || description', () => {
    expect(petstore().map((op) => [op.operationId, op.toolName, op.method, op.path])).toEqual([
      ['listPets', 'listPets', 'get', '/pets'],
      ['createPet', 'createPet', 'post', '/pets'],
      ['get_pets_petId', 'get_pets_petId', 'get', '/pets/{petId}'],
      ['delete pet!', 'delete_pet', 'delete', '/pets/{petId}'],
      ['delete_pet', 'delete_pet_2', 'put', '/pets/{petId}/photo'],
      ['createCategory', 'createCategory', 'post', '/categories'],
      ['login', 'login', 'post', '/login'],
    ]);
    expect(byId('createPet').summary).toBe('Creates a new pet in the store. Duplicates are allowed.');
    for (const op of petstore()) expect(op.toolName).toMatch(TOOL_NAME_PATTERN);
  });

  it('resolves a $ref parameter and converts 3.0 keywords (boolean exclusiveMaximum) to JSON Schema 2020-12', () => {
    expect(byId('listPets').parameters).toEqual({
      type: 'object',
      properties: {
        query: {
          type: 'object',
          properties: {
            tags: { type: 'array', items: { type: 'string' }, description: 'tags to filter by' },
            limit: {
              type: 'integer',
              format: 'int32',
              exclusiveMaximum: 100,
              description: 'How many items to return at one time (max 100)',
            },
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    });
  });

  it('merges path-level and operation-level parameters (the operation wins by name + in); drops Authorization', () => {
    const op = byId('get_pets_petId');
    expect(op.parameters).toEqual({
      type: 'object',
      properties: {
        path: {
          type: 'object',
          properties: { petId: { type: 'integer', minimum: 1, description: 'The id of the pet to retrieve' } },
          required: ['petId'],
          additionalProperties: false,
        },
        header: {
          type: 'object',
          properties: { 'X-Request-Id': { type: 'string' } },
          additionalProperties: false,
        },
      },
      required: ['path'],
      additionalProperties: false,
    });
    // The path-level definition applies where the operation does not override it.
    expect(byId('delete pet!').parameters).toMatchObject({
      properties: { path: { properties: { petId: { type: 'string', description: 'path-level description' } } } },
    });
  });

  it('resolves a $ref request body: readOnly properties dropped, nullable → type [t, null], example dropped', () => {
    const op = byId('createPet');
    expect(op.bodyMediaType).toBe('application/json');
    expect(op.parameters).toEqual({
      type: 'object',
      properties: {
        body: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string' }, tag: { type: ['string', 'null'] } },
          description: 'Pet to add to the store',
        },
      },
      required: ['body'],
      additionalProperties: false,
    });
  });

  it('bounds a recursive schema: the repeated $ref becomes {}', () => {
    expect(byId('createCategory').parameters).toMatchObject({
      properties: {
        body: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: {} } } },
      },
    });
  });

  it('takes a form body, and an octet-stream body as a file reference of the conversation', () => {
    expect(byId('login').bodyMediaType).toBe('application/x-www-form-urlencoded');
    const photo = byId('delete_pet');
    expect(photo.bodyMediaType).toBe('binary');
    expect(photo.rawMediaTypes).toEqual(['application/octet-stream']);
    const body = (photo.parameters.properties as Record<string, Record<string, unknown>>).body;
    expect(body).toMatchObject({ type: 'object', required: ['fileId'], additionalProperties: false });
    expect(String(body?.description)).toContain('file of this conversation');
  });

  it('gives each operation its effective security: its own, else the document’s, [] when opted out', () => {
    expect(byId('listPets').security).toEqual([{ apiKey: [] }]);
    expect(byId('createPet').security).toEqual([{ bearer: [] }]);
    expect(byId('login').security).toEqual([]);
  });
});

describe('listOperations (bookings 3.1 JSON)', () => {
  const ops = () => listOperations(mustParse(BOOKINGS_31_JSON));

  it('derives a missing operationId, keeps 3.1 type arrays and examples, leaves cookie parameters out', () => {
    const [list, book] = ops();
    expect(list?.parameters).toMatchObject({
      properties: {
        path: { required: ['roomId'] },
        query: { properties: { from: { type: 'string', format: 'date' } } },
      },
    });
    expect(Object.keys(list?.parameters.properties as object)).toEqual(['path', 'query']);
    expect(book?.operationId).toBe('post_rooms_roomId_bookings');
    expect(book?.parameters).toMatchObject({
      properties: {
        body: {
          description: 'The booking to make',
          properties: {
            guest: { type: 'string', examples: ['Ada Lovelace'] },
            nights: { exclusiveMaximum: 30 },
            note: { type: ['string', 'null'] },
          },
        },
      },
      required: ['path', 'body'],
    });
    expect(book?.security).toEqual([{ oauth: ['bookings:write'] }]);
  });

  it('reads the security schemes', () => {
    expect(securitySchemes(mustParse(BOOKINGS_31_JSON))).toEqual({
      oauth: { type: 'oauth2', tokenUrl: 'https://auth.bookings.example/token' },
      basic: { type: 'http', scheme: 'basic' },
    });
    expect(securitySchemes(mustParse(PETSTORE_30_YAML))).toEqual({
      apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      bearer: { type: 'http', scheme: 'bearer' },
      oauth: { type: 'oauth2', tokenUrl: 'https://auth.petstore.example/oauth/token' },
    });
  });
});

describe('tool names and summaries', () => {
  it('sanitises to ^[a-zA-Z0-9_-]{1,64}$', () => {
    expect(sanitizeToolName('get_/users/{id}/repos')).toBe('get_users_id_repos');
    expect(sanitizeToolName('Pets.list:all')).toBe('Pets_list_all');
    expect(sanitizeToolName('café crème')).toBe('caf_cr_me');
    expect(sanitizeToolName('!!!')).toBe('operation');
    expect(sanitizeToolName('a'.repeat(100))).toHaveLength(64);
  });

  it('de-duplicates long names within 64 characters, and cuts long summaries', () => {
    const long = 'x'.repeat(70);
    const paths: Record<string, unknown> = {};
    for (const n of [1, 2, 3]) {
      paths[`/p${n}`] = {
        get: { operationId: `${long}${n}`, description: 'd'.repeat(2000), responses: { 200: { description: 'ok' } } },
      };
    }
    const spec = mustParse(JSON.stringify({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths }));
    const ops = listOperations(spec);
    expect(ops.map((op) => op.toolName)).toEqual(['x'.repeat(64), `${'x'.repeat(62)}_2`, `${'x'.repeat(62)}_3`]);
    expect(ops[0]?.summary).toHaveLength(SUMMARY_MAX_CHARS);
  });

  it('does not let a derived operationId take an explicit one', () => {
    const paths = {
      '/a': { get: { responses: { 200: { description: 'ok' } } } },
      '/b': { get: { operationId: 'get_a', responses: { 200: { description: 'ok' } } } },
    };
    const spec = mustParse(JSON.stringify({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths }));
    expect(listOperations(spec).map((op) => op.operationId)).toEqual(['get_a_2', 'get_a']);
  });
});

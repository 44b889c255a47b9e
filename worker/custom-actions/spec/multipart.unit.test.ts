import { describe, expect, it } from 'vitest';
import { multipartBody } from './multipart.ts';
import { listOperations } from './operations.ts';
import { buildRequest } from './request.ts';
import { mustParse } from './testing.ts';

/** An OAS 3.1 service with two multipart operations: one whose file field is optional, one that requires a file. */
const UPLOADS_31 = JSON.stringify({
  openapi: '3.1.0',
  info: { title: 'Uploads', version: '1' },
  paths: {
    '/notes': {
      post: {
        operationId: 'createNote',
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['title'],
                properties: {
                  title: { type: 'string' },
                  tags: { type: 'array', items: { type: 'string' } },
                  meta: { type: 'object', properties: { pinned: { type: 'boolean' } } },
                  attachment: { type: 'string', contentMediaType: 'application/octet-stream' },
                },
              },
            },
          },
        },
        responses: { '201': { description: 'Created' } },
      },
    },
    '/photos': {
      post: {
        operationId: 'uploadPhoto',
        requestBody: {
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                required: ['file'],
                properties: { file: { type: 'string', format: 'binary' }, caption: { type: 'string' } },
              },
            },
          },
        },
        responses: { '201': { description: 'Created' } },
      },
    },
  },
});

const operation = (id: string) => {
  const found = listOperations(mustParse(UPLOADS_31)).find((o) => o.operationId === id);
  if (!found) throw new Error(id);
  return found;
};

describe('multipart/form-data bodies', () => {
  it('writes RFC 7578 parts: strings as text, objects as JSON, arrays of primitives as repeated fields', () => {
    const body = multipartBody(
      { title: 'Hi "there"', tags: ['a', 'b'], meta: { pinned: true }, n: 3, gone: null },
      'B',
    );
    expect(body).toBe(
      [
        '--B\r\nContent-Disposition: form-data; name="title"\r\n\r\nHi "there"\r\n',
        '--B\r\nContent-Disposition: form-data; name="tags"\r\n\r\na\r\n',
        '--B\r\nContent-Disposition: form-data; name="tags"\r\n\r\nb\r\n',
        '--B\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n{"pinned":true}\r\n',
        '--B\r\nContent-Disposition: form-data; name="n"\r\n\r\n3\r\n',
        '--B--\r\n',
      ].join(''),
    );
  });

  it('escapes a field name that would break out of its part header', () => {
    expect(multipartBody({ 'a"\r\nX-Evil: 1': 'v' }, 'B')).toContain('name="a%22%0D%0AX-Evil: 1"');
  });

  it('offers a multipart operation without its binary fields, and none whose file is required', () => {
    const note = operation('createNote');
    expect(note.bodyMediaType).toBe('multipart/form-data');
    const body = (note.parameters.properties as Record<string, { properties: Record<string, unknown> }>).body;
    expect(Object.keys(body?.properties ?? {})).toEqual(['title', 'tags', 'meta']);
    const photo = operation('uploadPhoto');
    expect(photo.bodyMediaType).toBeNull();
    expect(Object.keys(photo.parameters.properties as object)).not.toContain('body');
  });

  it('builds the request with a fresh boundary in the Content-Type that the body uses', () => {
    const result = buildRequest(operation('createNote'), 'https://notes.example', {
      body: { title: 'Groceries', tags: ['food'] },
    });
    if (!result.ok) throw new Error(result.error);
    const type = result.request.headers['content-type'] ?? '';
    const boundary = /^multipart\/form-data; boundary=(parley-[0-9a-f]{32})$/.exec(type)?.[1];
    expect(boundary).toBeDefined();
    expect(result.request.body).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nGroceries\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="tags"\r\n\r\nfood\r\n--${boundary}--\r\n`,
    );
    const again = buildRequest(operation('createNote'), 'https://notes.example', { body: { title: 'x' } });
    expect(again.ok && again.request.headers['content-type']).not.toBe(type);
  });
});

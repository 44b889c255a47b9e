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
                  thumbnail: { type: 'string', contentMediaType: 'image/png', contentEncoding: 'base64' },
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

  it('offers file fields (3.1 contentMediaType, 3.0 format: binary) as file references, not encoded ones', () => {
    const note = operation('createNote');
    expect(note.bodyMediaType).toBe('multipart/form-data');
    expect(note.fileFields).toEqual(['attachment']);
    const body = (note.parameters.properties as Record<string, { properties: Record<string, unknown> }>).body;
    // base64 text (contentEncoding) is no file a model can name: left out.
    expect(Object.keys(body?.properties ?? {})).toEqual(['title', 'tags', 'meta', 'attachment']);
    expect(body?.properties.attachment).toMatchObject({ type: 'object', required: ['fileId'] });
    const photo = operation('uploadPhoto');
    expect(photo.bodyMediaType).toBe('multipart/form-data');
    expect(photo.fileFields).toEqual(['file']);
  });

  it('sends a file part with its stored name and type, as bytes, and refuses a file it was not given', () => {
    const file = { bytes: new Uint8Array([0, 1, 2, 255]), name: 'cat "1".png', mimeType: 'image/png' };
    const fileId = `file_${'a'.repeat(26)}`;
    const result = buildRequest(
      operation('uploadPhoto'),
      'https://photos.example',
      { body: { caption: 'Cat', file: { fileId } } },
      new Map([[fileId, file]]),
    );
    if (!result.ok) throw new Error(result.error);
    const boundary = /boundary=(\S+)$/.exec(result.request.headers['content-type'] ?? '')?.[1];
    const body = result.request.body as Uint8Array;
    expect(body).toBeInstanceOf(Uint8Array);
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="caption"\r\n\r\nCat\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cat %221%22.png"\r\n` +
      'Content-Type: image/png\r\n\r\n';
    const tail = `\r\n--${boundary}--\r\n`;
    const encoder = new TextEncoder();
    expect([...body]).toEqual([...encoder.encode(head), 0, 1, 2, 255, ...encoder.encode(tail)]);
    const missing = buildRequest(operation('uploadPhoto'), 'https://photos.example', { body: { file: { fileId } } });
    expect(missing).toEqual({ ok: false, error: `file ${fileId} is not a file of this conversation` });
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

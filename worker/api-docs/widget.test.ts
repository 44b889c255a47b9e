import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { BASE } from '../../test/seed.ts';
import { WidgetHistorySchema, WidgetSessionSchema } from '../widget/api-schemas.ts';
import { openSession, seedWidget, widgetFetch } from '../widget/testing.ts';

interface Operation {
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface Document {
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, Record<string, string>>; schemas: Record<string, unknown> };
}

const TOKEN = [{ widgetToken: [] }, { widgetTokenQuery: [] }];

/** Every widget API route (the widget calls all but `end`, which a host page may call: docs/widget-api.md). */
const WIDGET_OPERATIONS = [
  'post /api/widget/v1/sessions',
  'get /api/widget/v1/conversations/{id}/ws',
  'get /api/widget/v1/conversations/{id}/events',
  'post /api/widget/v1/conversations/{id}/messages',
  'get /api/widget/v1/conversations/{id}/messages',
  'post /api/widget/v1/conversations/{id}/cancel',
  'post /api/widget/v1/conversations/{id}/end',
  'post /api/widget/v1/conversations/{id}/feedback',
  'post /api/widget/v1/conversations/{id}/tool-approvals/{approvalId}',
  'post /api/widget/v1/conversations/{id}/uploads',
  'get /api/widget/v1/files/{fileId}',
];

async function fetchDocument(): Promise<Document> {
  const res = await SELF.fetch(`${BASE}/api/v1/openapi.json`);
  expect(res.status).toBe(200);
  return (await res.json()) as Document;
}

describe('OpenAPI: the widget API', () => {
  it('lists every widget operation under the Widget tag, with its token or key scheme', async () => {
    const document = await fetchDocument();
    const widget = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/api/widget/'))
      .flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ key: `${method} ${path}`, op })));
    expect(widget.map((w) => w.key).sort()).toEqual([...WIDGET_OPERATIONS].sort());
    expect(document.tags.find((tag) => tag.name === 'Widget')?.description).toMatch(/widget token/);
    for (const { key, op } of widget) {
      expect(op.tags, key).toEqual(['Widget']);
      expect(op.security, key).toEqual(key === 'post /api/widget/v1/sessions' ? [{ widgetKey: [] }] : TOKEN);
      // The API key's scope is derived from middleware; a widget route runs none, so none is claimed.
      expect(JSON.stringify(op.security), key).not.toContain('apiKey');
    }
    expect(document.components.securitySchemes).toMatchObject({
      widgetToken: { type: 'http', scheme: 'bearer' },
      widgetTokenQuery: { type: 'apiKey', in: 'query', name: 'token' },
      widgetKey: { type: 'apiKey', in: 'header', name: 'Origin' },
    });
  });

  it('declares request and response schemas, the 429 of the rate-limited routes and the socket upgrade', async () => {
    const { paths, components } = await fetchDocument();
    const op = (key: string) => {
      const [method = '', path = ''] = key.split(' ');
      return paths[path]?.[method] as Operation;
    };
    const json = (o: Operation, status: string) => o.responses[status]?.content?.['application/json']?.schema?.$ref;
    expect(op('post /api/widget/v1/sessions').requestBody?.content?.['application/json']?.schema?.$ref).toBe(
      '#/components/schemas/WidgetSessionRequest',
    );
    expect(json(op('post /api/widget/v1/sessions'), '200')).toBe('#/components/schemas/WidgetSession');
    expect(json(op('get /api/widget/v1/conversations/{id}/messages'), '200')).toBe(
      '#/components/schemas/WidgetHistory',
    );
    expect(json(op('post /api/widget/v1/conversations/{id}/messages'), '202')).toBe(
      '#/components/schemas/AcceptedMessage',
    );
    expect(json(op('post /api/widget/v1/conversations/{id}/uploads'), '201')).toBe('#/components/schemas/UploadedFile');
    for (const key of ['post /api/widget/v1/sessions', 'post /api/widget/v1/conversations/{id}/messages']) {
      expect(json(op(key), '429'), key).toBe('#/components/schemas/Error');
    }
    expect(Object.keys(op('get /api/widget/v1/conversations/{id}/ws').responses)).toEqual(
      expect.arrayContaining(['101', '426']),
    );
    expect(op('get /api/widget/v1/conversations/{id}/events').responses['200']?.content).toHaveProperty(
      'text/event-stream',
    );
    expect(components.schemas).toHaveProperty('WidgetEvent');
    // An upload's body is the file: no JSON body gate, whatever its type.
    expect(Object.keys(op('post /api/widget/v1/conversations/{id}/uploads').requestBody?.content ?? {})).toEqual([
      '*/*',
    ]);
  });

  it('shows the widget token and key in the readable reference', async () => {
    const html = await (await SELF.fetch(`${BASE}/api/docs`)).text();
    expect(html).toContain('<h2 id="tag-widget">Widget</h2>');
    expect(html).toContain('Widget token: <code>Authorization: Bearer v1.…</code>');
    expect(html).toContain('Widget key: <code>widgetKey</code> in the body');
  });

  it('describes what the routes really answer (the UIs take their types from these schemas)', async () => {
    const { demo } = await seedWidget();
    const session = await openSession({ widgetKey: demo.widgetKey });
    expect(WidgetSessionSchema.strict().safeParse(session).error).toBeUndefined();
    const sent = await widgetFetch(`/conversations/${session.conversationId}/messages`, session.token, {
      method: 'POST',
      body: JSON.stringify({ text: 'Hello', clientMessageId: 'docs-1' }),
    });
    expect(sent.status).toBe(202);
    const history = await widgetFetch(`/conversations/${session.conversationId}/messages`, session.token);
    const parsed = WidgetHistorySchema.safeParse(await history.json());
    expect(parsed.error).toBeUndefined();
    expect(parsed.data?.data[0]).toMatchObject({ role: 'user', content: 'Hello', clientMessageId: 'docs-1' });
  });
});

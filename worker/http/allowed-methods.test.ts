import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { authed, BASE, seedDemo } from '../../test/seed.ts';

/** Wrong methods on known paths (RFC 9110 §15.5.6) and one DELETE convention across the API. */
describe('methods', () => {
  it('answers 405 with Allow for a known path asked with another method, 404 for an unknown path', async () => {
    const demo = await seedDemo();
    const wrong = await SELF.fetch(`${BASE}/api/v1/chatbots`, authed(demo.apiKey, { method: 'DELETE' }));
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');

    const withParam = await SELF.fetch(`${BASE}/api/v1/chatbots/demo/versions`, { method: 'PUT' });
    expect(withParam.status).toBe(405);
    expect(withParam.headers.get('allow')).toBe('GET, HEAD, POST');

    const unknown = await SELF.fetch(`${BASE}/api/v1/no-such-thing`, { method: 'DELETE' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('allow')).toBeNull();
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('keeps OpenAI’s error shape for a wrong method under /v1', async () => {
    const res = await SELF.fetch(`${BASE}/v1/chat/completions`, { method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'method_not_allowed', param: null });
    expect(body.error.message).toMatch(/GET/);
  });

  it('documents every DELETE as 204 No Content, never a body', async () => {
    const document = (await (await SELF.fetch(`${BASE}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: unknown }> }>>;
    };
    const deletes = Object.entries(document.paths).flatMap(([path, item]) =>
      item.delete ? [{ path, responses: item.delete.responses }] : [],
    );
    expect(deletes.length).toBeGreaterThanOrEqual(7);
    for (const { path, responses } of deletes) {
      const success = Object.keys(responses).filter((status) => status.startsWith('2'));
      expect(success, path).toEqual(['204']);
      expect(responses['204']?.content, path).toBeUndefined();
    }
  });
});

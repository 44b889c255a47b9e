import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';

describe('error responses', () => {
  it('an unknown route is a JSON 404', async () => {
    const res = await SELF.fetch('https://parley.test/api/v1/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No route for GET /api/v1/nope' } });
  });

  it('an unexpected exception is a JSON 500 that reveals nothing internal', async () => {
    const app = createApp().get('/boom', () => {
      throw new Error('database password is hunter2');
    });
    const res = await app.request(
      '/boom',
      {},
      {},
      { waitUntil: () => {}, passThroughOnException: () => {}, props: {} },
    );
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as { error: { code: string; message: string; details: { requestId: string } } };
    expect(body.error).toMatchObject({ code: 'internal', message: 'Internal error' });
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });

  it('a body over 1 MB is a JSON 413', async () => {
    const res = await SELF.fetch('https://parley.test/api/v1/conversations', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) },
      body: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });
});

import { SELF } from 'cloudflare:test';
import { expect, it } from 'vitest';
it('unknown route is JSON 404', async () => {
  const res = await SELF.fetch('https://parley.test/api/v1/nope');
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No route for GET /api/v1/nope' } });
});

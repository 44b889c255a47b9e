import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { BASE } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { widgetKeys } from '../db/schema/index.ts';
import { originAllowed } from './origin.ts';
import { API, EVIL, postSession, seedWidget, widgetFetch } from './testing.ts';

const preflight = (origin: string) =>
  SELF.fetch(`${API}/conversations/conv_x/messages`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'GET' },
  });

describe('widget origin allow-list', () => {
  it('matches exact origins, * and scheme://host:* (any port of that host only)', () => {
    const dev = ['http://localhost:*', 'https://shop.example'];
    expect(originAllowed(dev, 'http://localhost:5173')).toBe(true);
    expect(originAllowed(dev, 'http://localhost')).toBe(true);
    expect(originAllowed(dev, 'https://localhost:5173')).toBe(false);
    expect(originAllowed(dev, 'http://localhost.evil.example')).toBe(false);
    expect(originAllowed(dev, 'http://localhost:5173.evil.example')).toBe(false);
    expect(originAllowed(dev, 'https://shop.example')).toBe(true);
    expect(originAllowed(dev, 'https://shop.example:8443')).toBe(false);
    expect(originAllowed(['*'], 'https://any.example')).toBe(true);
    expect(originAllowed(['*'], 'null')).toBe(false);
  });

  it('refuses a disallowed origin with origin_not_allowed naming the origin and the widget key fix', async () => {
    const { demo } = await seedWidget();
    const res = await postSession({ widgetKey: demo.widgetKey }, EVIL);
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('origin_not_allowed');
    expect(body.error.message).toContain(EVIL);
    expect(body.error.message).toContain('widget key');
  });

  it('lets the seeded demo key serve any localhost port, sessions and preflights alike', async () => {
    const { demo } = await seedWidget();
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000']) {
      const res = await postSession({ widgetKey: demo.widgetKey }, origin);
      expect(res.status, origin).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect((await preflight(origin)).status).toBe(204);
    }
    expect((await postSession({ widgetKey: demo.widgetKey }, 'http://localhost.evil.example')).status).toBe(403);
    expect((await preflight('http://localhost.evil.example')).status).toBe(403);
  });

  it('accepts and validates scheme://host:* when a key is created', async () => {
    const { demo } = await seedWidget();
    const create = (allowedOrigins: string[]) =>
      SELF.fetch(`${BASE}/api/v1/chatbots/${demo.chatbotId}/widget-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${demo.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ allowedOrigins }),
      });
    expect((await create(['http://localhost:*'])).status).toBe(201);
    expect((await create(['http://localhost:*/path'])).status).toBe(400);
  });

  it('takes a same-origin GET without Origin as the Worker origin (Sec-Fetch-Site), or the Referer origin', async () => {
    const { demo } = await seedWidget();
    // The demo page is served by the Worker itself: allow the Worker's own origin (BASE in tests).
    await database(env.DB)
      .update(widgetKeys)
      .set({ allowedOrigins: [BASE] })
      .where(eq(widgetKeys.key, demo.widgetKey));
    const session = await postSession({ widgetKey: demo.widgetKey }, BASE);
    expect(session.status).toBe(200);
    const { token, conversationId } = (await session.json()) as { token: string; conversationId: string };
    const history = (headers: Record<string, string>) =>
      widgetFetch(`/conversations/${conversationId}/messages`, token, { origin: null, headers });
    const sameOrigin = await history({ 'sec-fetch-site': 'same-origin' });
    expect(sameOrigin.status, await sameOrigin.clone().text()).toBe(200);
    expect(sameOrigin.headers.get('access-control-allow-origin')).toBe(BASE);
    expect((await history({ referer: `${BASE}/widget-demo.html?key=x` })).status).toBe(200);
    expect((await history({ referer: `${EVIL}/page` })).status).toBe(403);
    expect((await history({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await history({})).status).toBe(403);
  });
});

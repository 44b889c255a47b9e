import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api, errorFields, scopedKey } from '../../test/api-fixtures.ts';
import { expectPageBounds, keysetOrder, walkPages } from '../../test/pages.ts';
import { seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { widgetKeys } from '../db/schema/index.ts';
import { identityHash } from './identity.ts';
import { postSession } from './testing.ts';

interface WidgetKey {
  id: string;
  key: string;
  chatbotId: string;
  allowedOrigins: string[];
  revokedAt: string | null;
  identitySecret?: string;
}

const SITE = 'http://localhost:8787';

describe('widget keys API', () => {
  it('creates a key whose identity secret is shown once, works on its origins, and can be revoked', async () => {
    const demo = await seedDemo();
    const admin = await scopedKey(demo.teamId, ['admin']);
    const created = await api.send(admin, 'POST', `/api/v1/chatbots/${demo.chatbotId}/widget-keys`, {
      allowedOrigins: [SITE, SITE],
    });
    expect(created.status).toBe(201);
    const key = (await created.json()) as WidgetKey;
    expect(key).toMatchObject({ chatbotId: demo.chatbotId, allowedOrigins: [SITE], revokedAt: null });
    expect(key.identitySecret).toMatch(/^[\w-]{43}$/);
    // Stored sealed, never in plain text.
    const row = await database(env.DB).query.widgetKeys.findFirst({ where: eq(widgetKeys.id, key.id) });
    expect(row?.identitySecret).not.toContain(key.identitySecret);

    // The secret verifies identities on sessions started with the new key.
    const hash = await identityHash(key.identitySecret as string, 'user-42');
    const session = await postSession({ widgetKey: key.key, identity: { id: 'user-42', hash } }, SITE);
    expect(session.status).toBe(200);

    const listed = await api.get(admin, `/api/v1/chatbots/${demo.chatbotId}/widget-keys`);
    const list = (await listed.json()) as { data: WidgetKey[] };
    expect(list.data.map((k) => k.id)).toContain(key.id);
    expect(JSON.stringify(list)).not.toContain(key.identitySecret);

    const moved = await api.send(admin, 'PATCH', `/api/v1/widget-keys/${key.id}`, {
      allowedOrigins: ['https://shop.example.com'],
    });
    expect(((await moved.json()) as WidgetKey).allowedOrigins).toEqual(['https://shop.example.com']);
    expect((await postSession({ widgetKey: key.key }, SITE)).status).toBe(403);

    expect((await api.send(admin, 'DELETE', `/api/v1/widget-keys/${key.id}`)).status).toBe(204);
    const revoked = await postSession({ widgetKey: key.key }, 'https://shop.example.com');
    expect(revoked.status).toBeGreaterThanOrEqual(400);
    expect(revoked.status).toBeLessThan(500);
  });

  it('refuses bad origins by field, read-only keys, and other teams', async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const admin = await scopedKey(demo.teamId, ['admin']);
    const reader = await scopedKey(demo.teamId, ['read']);
    const bad = await api.send(admin, 'POST', `/api/v1/chatbots/${demo.chatbotId}/widget-keys`, {
      allowedOrigins: ['https://ok.example', 'https://bad.example/path'],
    });
    expect(bad.status).toBe(400);
    expect(await errorFields(bad)).toEqual(['body.allowedOrigins.1']);
    const forbidden = await api.send(reader, 'POST', `/api/v1/chatbots/${demo.chatbotId}/widget-keys`, {
      allowedOrigins: [SITE],
    });
    expect(forbidden.status).toBe(403);
    expect((await api.get(reader, `/api/v1/chatbots/${other.chatbotId}/widget-keys`)).status).toBe(404);
    const foreign = await database(env.DB).query.widgetKeys.findFirst({ where: eq(widgetKeys.teamId, other.teamId) });
    const patch = await api.send(admin, 'PATCH', `/api/v1/widget-keys/${foreign?.id}`, { allowedOrigins: ['*'] });
    expect(patch.status).toBe(404);
    expect((await api.send(admin, 'DELETE', `/api/v1/widget-keys/${foreign?.id}`)).status).toBe(404);
  });

  it('pages every key of the chatbot once, newest first, never another team’s', async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const admin = await scopedKey(demo.teamId, ['admin']);
    const reader = await scopedKey(demo.teamId, ['read']);
    const path = `/api/v1/chatbots/${demo.chatbotId}/widget-keys`;
    for (let i = 0; i < 5; i++) {
      const res = await api.send(admin, 'POST', path, { allowedOrigins: [`https://site${i}.example.com`] });
      expect(res.status).toBe(201);
    }
    const [revoked] = await database(env.DB).select().from(widgetKeys).where(eq(widgetKeys.chatbotId, demo.chatbotId));
    expect((await api.send(admin, 'DELETE', `/api/v1/widget-keys/${revoked?.id}`)).status).toBe(204);

    const stored = await database(env.DB).select().from(widgetKeys).where(eq(widgetKeys.chatbotId, demo.chatbotId));
    const expected = keysetOrder(stored, (row) => [new Date(row.createdAt).toISOString(), row.id], true);
    expect(expected.length).toBeGreaterThanOrEqual(5);
    const listed = (await walkPages<WidgetKey>(reader, path, 2)).flat();
    expect(listed.map((key) => key.id)).toEqual(expected.map((row) => row.id));
    expect(listed.every((key) => key.chatbotId === demo.chatbotId)).toBe(true);
    expect(listed.find((key) => key.id === revoked?.id)?.revokedAt).not.toBeNull();
    const foreign = await database(env.DB).select().from(widgetKeys).where(eq(widgetKeys.teamId, other.teamId));
    expect(foreign.length).toBeGreaterThan(0);
    for (const row of foreign) expect(listed.map((key) => key.id)).not.toContain(row.id);
    await expectPageBounds(reader, path);
  });
});

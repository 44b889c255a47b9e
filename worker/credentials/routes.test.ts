import { env } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { api, errorFields, scopedKey } from '../../test/api-fixtures.ts';
import { expectPageBounds, keysetOrder, walkPages } from '../../test/pages.ts';
import { seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { pluginConfigs } from '../db/schema/index.ts';

interface Credential {
  id: string;
  providerId: string;
  name: string;
  settings: Record<string, unknown>;
  secretsSet: string[];
}

// The key the fake OpenAI server accepts (plugins/providers/openai/fake/server.ts).
const SECRET = 'test-key';

describe('provider credentials API', () => {
  it('stores secrets sealed, never answers them, keeps an omitted secret on update, and tests the connection', async () => {
    const demo = await seedDemo();
    const admin = await scopedKey(demo.teamId, ['admin']);
    const baseUrl = inject('fakeServers').openai;
    const created = await api.send(admin, 'POST', '/api/v1/credentials', {
      providerId: 'openai',
      name: 'Production',
      settings: { apiKey: SECRET, baseUrl },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const credential = (await created.json()) as Credential;
    expect(credential).toMatchObject({ providerId: 'openai', name: 'Production', secretsSet: ['apiKey'] });
    expect(credential.settings.apiKey).toBeUndefined();

    const row = await database(env.DB).query.pluginConfigs.findFirst({
      where: eq(pluginConfigs.id, credential.id),
    });
    expect(row?.secrets).toMatch(/^v1\./);
    expect(row?.secrets).not.toContain(SECRET);
    expect(JSON.stringify(row?.settings)).not.toContain(SECRET);

    const listed = await api.get(admin, '/api/v1/credentials?providerId=openai');
    const listText = await listed.text();
    expect(listText).toContain(credential.id);
    expect(listText).not.toContain(SECRET);

    const renamed = await api.send(admin, 'PATCH', `/api/v1/credentials/${credential.id}`, { name: 'Prod' });
    expect(((await renamed.json()) as Credential).secretsSet).toEqual(['apiKey']);

    const test = await api.send(admin, 'POST', `/api/v1/credentials/${credential.id}/test`);
    const outcome = (await test.json()) as { ok: boolean; models: number; message: string };
    expect(outcome.ok, outcome.message).toBe(true);
    expect(outcome.models).toBeGreaterThan(0);

    // A wrong key: the fake answers 401, the test says so without the key.
    await api.send(admin, 'PATCH', `/api/v1/credentials/${credential.id}`, { settings: { apiKey: 'sk-wrong' } });
    const failed = (await (await api.send(admin, 'POST', `/api/v1/credentials/${credential.id}/test`)).json()) as {
      ok: boolean;
      message: string;
    };
    expect(failed.ok).toBe(false);
    expect(failed.message).not.toContain('sk-wrong');

    expect((await api.send(admin, 'DELETE', `/api/v1/credentials/${credential.id}`)).status).toBe(204);
    expect((await api.get(admin, `/api/v1/credentials/${credential.id}`)).status).toBe(404);
  });

  it('names bad fields, refuses duplicates, read-only keys and other teams', async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const admin = await scopedKey(demo.teamId, ['admin']);
    const reader = await scopedKey(demo.teamId, ['read']);
    const unknown = await api.send(admin, 'POST', '/api/v1/credentials', {
      providerId: 'nope',
      name: 'x',
      settings: {},
    });
    expect(await errorFields(unknown)).toEqual(['body.providerId']);
    const missingKey = await api.send(admin, 'POST', '/api/v1/credentials', {
      providerId: 'openai',
      name: 'x',
      settings: {},
    });
    expect(await errorFields(missingKey)).toEqual(['body.settings.apiKey']);
    const first = { providerId: 'anthropic', name: 'Same', settings: { apiKey: 'sk-ant-a' } };
    expect((await api.send(admin, 'POST', '/api/v1/credentials', first)).status).toBe(201);
    const duplicate = await api.send(admin, 'POST', '/api/v1/credentials', first);
    expect(duplicate.status).toBe(409);
    expect((await api.send(reader, 'POST', '/api/v1/credentials', first)).status).toBe(403);
    const theirs = await api.send(await scopedKey(other.teamId, ['admin']), 'POST', '/api/v1/credentials', first);
    const theirId = ((await theirs.json()) as Credential).id;
    expect((await api.get(admin, `/api/v1/credentials/${theirId}`)).status).toBe(404);
    expect((await api.send(admin, 'PATCH', `/api/v1/credentials/${theirId}`, { name: 'mine' })).status).toBe(404);
    expect((await api.send(admin, 'POST', `/api/v1/credentials/${theirId}/test`)).status).toBe(404);
    expect((await api.send(admin, 'DELETE', `/api/v1/credentials/${theirId}`)).status).toBe(404);
  });

  it('pages every credential once, oldest first, per provider too, never another team’s', async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const admin = await scopedKey(demo.teamId, ['admin']);
    const reader = await scopedKey(demo.teamId, ['read']);
    const create = async (key: string, providerId: string, name: string) => {
      const res = await api.send(key, 'POST', '/api/v1/credentials', {
        providerId,
        name,
        settings: { apiKey: 'sk-x' },
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as Credential).id;
    };
    const theirs = await create(await scopedKey(other.teamId, ['admin']), 'anthropic', 'Theirs');
    for (let i = 0; i < 3; i++) await create(admin, 'anthropic', `Anthropic ${i}`);
    for (let i = 0; i < 2; i++) await create(admin, 'openai', `OpenAI ${i}`);

    const stored = await database(env.DB)
      .select()
      .from(pluginConfigs)
      .where(and(eq(pluginConfigs.teamId, demo.teamId), eq(pluginConfigs.kind, 'provider')));
    const expected = keysetOrder(stored, (row) => [new Date(row.createdAt).toISOString(), row.id], false);
    expect(expected.length).toBeGreaterThanOrEqual(5);

    const pages = await walkPages<Credential>(reader, '/api/v1/credentials', 2);
    const listed = pages.flat().map((row) => row.id);
    expect(listed).toEqual(expected.map((row) => row.id));
    expect(listed).not.toContain(theirs);
    const anthropic = (await walkPages<Credential>(reader, '/api/v1/credentials?providerId=anthropic', 2)).flat();
    expect(anthropic.map((row) => row.id)).toEqual(
      expected.filter((row) => row.pluginId === 'anthropic').map((row) => row.id),
    );
    expect(anthropic).toHaveLength(3);
    await expectPageBounds(reader, '/api/v1/credentials?providerId=openai');
  });
});

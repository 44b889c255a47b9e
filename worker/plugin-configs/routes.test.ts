import { describe, expect, it } from 'vitest';
import { kinds } from '../../plugins/sdk/index.ts';
import { api, errorFields, insertChannel, scopedKey } from '../../test/api-fixtures.ts';
import { seedDemo } from '../../test/seed.ts';

interface Config {
  id: string;
  kind: string;
  pluginId: string;
  name: string;
  settings: Record<string, unknown>;
  secretsSet: string[];
}

const SECRET = 'sk-plugin-config-secret-0123456789';

async function send(key: string, method: string, path: string, body?: unknown) {
  const res = await api.send(key, method, path, body);
  const text = await res.text();
  return { status: res.status, text, json: (text ? JSON.parse(text) : null) as Config & { data: Config[] } };
}

describe('/api/v1/plugin-configs', () => {
  it('configures a tool once per team, lists, patches and deletes it, and never answers a secret', async () => {
    const demo = await seedDemo();
    const created = await send(demo.apiKey, 'POST', '/api/v1/plugin-configs', {
      pluginId: 'clock',
      settings: { defaultTimeZone: 'Asia/Tokyo' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      kind: 'tool',
      pluginId: 'clock',
      name: 'Clock',
      settings: { defaultTimeZone: 'Asia/Tokyo' },
      secretsSet: [],
    });
    const again = await send(demo.apiKey, 'POST', '/api/v1/plugin-configs', { pluginId: 'clock', settings: {} });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: { code: 'already_configured' } });

    const patched = await send(demo.apiKey, 'PATCH', `/api/v1/plugin-configs/${created.json.id}`, {
      settings: { defaultTimeZone: null },
    });
    expect(patched.json.settings).toEqual({ defaultTimeZone: 'UTC' });
    const listed = await send(demo.apiKey, 'GET', '/api/v1/plugin-configs?kind=tool');
    expect(listed.json.data.map((config) => config.id)).toEqual([created.json.id]);

    const provider = await send(demo.apiKey, 'POST', '/api/v1/plugin-configs', {
      pluginId: 'openai',
      name: 'Through the generic API',
      settings: { apiKey: SECRET },
    });
    expect(provider.status).toBe(201);
    expect(provider.json).toMatchObject({ kind: 'provider', secretsSet: ['apiKey'] });
    expect(provider.text).not.toContain(SECRET);
    // One store: the provider's configuration is a credential too.
    const credential = await api.get(demo.apiKey, `/api/v1/credentials/${provider.json.id}`);
    expect(await credential.json()).toMatchObject({ providerId: 'openai', name: 'Through the generic API' });
    const all = await send(demo.apiKey, 'GET', '/api/v1/plugin-configs');
    expect(all.text).not.toContain(SECRET);

    expect((await send(demo.apiKey, 'DELETE', `/api/v1/plugin-configs/${created.json.id}`)).status).toBe(204);
    expect((await send(demo.apiKey, 'GET', `/api/v1/plugin-configs/${created.json.id}`)).status).toBe(404);
  });

  it('shows channels as configurations but leaves writing them to /api/v1/channels', async () => {
    const demo = await seedDemo();
    const channelId = await insertChannel(demo.teamId, demo.chatbotId);
    const listed = await send(demo.apiKey, 'GET', '/api/v1/plugin-configs?kind=channel');
    const channel = listed.json.data.find((config) => config.id === channelId);
    expect(channel).toMatchObject({ pluginId: 'telegram', name: 'Fixture channel' });
    expect(channel?.secretsSet).toEqual(['botToken', 'webhookSecret']);
    expect(listed.text).not.toContain('fixture-webhook-secret');

    const patch = await api.send(demo.apiKey, 'PATCH', `/api/v1/plugin-configs/${channelId}`, { name: 'x' });
    expect(patch.status).toBe(400);
    expect(await errorFields(patch)).toEqual(['path.id']);
    const remove = await api.send(demo.apiKey, 'DELETE', `/api/v1/plugin-configs/${channelId}`);
    expect(remove.status).toBe(400);
    const create = await api.send(demo.apiKey, 'POST', '/api/v1/plugin-configs', {
      pluginId: 'telegram',
      settings: {},
    });
    expect(await errorFields(create)).toEqual(['body.pluginId']);
    expect((await api.get(demo.apiKey, `/api/v1/channels/${channelId}`)).status).toBe(200);
    // Written through /api/v1/channels, the configuration follows: renamed with it, deleted with it.
    await api.send(demo.apiKey, 'PATCH', `/api/v1/channels/${channelId}`, { name: 'Renamed bot' });
    expect((await send(demo.apiKey, 'GET', `/api/v1/plugin-configs/${channelId}`)).json.name).toBe('Renamed bot');
    expect((await api.send(demo.apiKey, 'DELETE', `/api/v1/channels/${channelId}`)).status).toBe(204);
    expect((await api.get(demo.apiKey, `/api/v1/plugin-configs/${channelId}`)).status).toBe(404);
  });

  it('names bad input, and keeps to the team and the key scopes', async () => {
    const demo = await seedDemo();
    const unknown = await api.send(demo.apiKey, 'POST', '/api/v1/plugin-configs', { pluginId: 'nope', settings: {} });
    expect(unknown.status).toBe(400);
    expect(await errorFields(unknown)).toEqual(['body.pluginId']);
    const badSettings = await api.send(demo.apiKey, 'POST', '/api/v1/plugin-configs', {
      pluginId: 'clock',
      settings: { defaultTimeZone: 'Mars/Base', surprise: 1 },
    });
    expect(await errorFields(badSettings)).toEqual(['body.settings.defaultTimeZone', 'body.settings.surprise']);
    const badKind = await api.get(demo.apiKey, '/api/v1/plugin-configs?kind=nope');
    expect(badKind.status).toBe(400);
    expect(await errorFields(badKind)).toEqual(['query.kind']);

    const reader = await scopedKey(demo.teamId, ['read']);
    const denied = await api.send(reader, 'POST', '/api/v1/plugin-configs', { pluginId: 'clock', settings: {} });
    expect(denied.status).toBe(403);
    const mine = await send(demo.apiKey, 'POST', '/api/v1/plugin-configs', { pluginId: 'clock', settings: {} });
    const other = await seedDemo();
    expect((await api.get(other.apiKey, `/api/v1/plugin-configs/${mine.json.id}`)).status).toBe(404);
    const theirs = await api.send(other.apiKey, 'PATCH', `/api/v1/plugin-configs/${mine.json.id}`, { name: 'x' });
    expect(theirs.status).toBe(404);
    const list = await send(other.apiKey, 'GET', '/api/v1/plugin-configs');
    expect(list.json.data.map((config) => config.id)).not.toContain(mine.json.id);
  });

  it('publishes the kinds the SDK declares, with how each is configured', async () => {
    const demo = await seedDemo();
    const res = await api.get(demo.apiKey, '/api/v1/plugins/kinds');
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { kind: string; configs: string; managedBy: string | null }[] };
    expect(data.map((kind) => kind.kind)).toEqual(kinds.map((definition) => definition.kind));
    expect(data).toContainEqual(expect.objectContaining({ kind: 'provider', configs: 'named', managedBy: null }));
    expect(data).toContainEqual(expect.objectContaining({ kind: 'channel', managedBy: '/api/v1/channels' }));
    expect(data).toContainEqual(expect.objectContaining({ kind: 'tool', configs: 'single' }));
  });
});

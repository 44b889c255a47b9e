import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../../test/api-keys.ts';
import { authed, BASE, seedDemo } from '../../test/seed.ts';

interface NodeType {
  id: string;
  routes: boolean;
  ports: string[] | null;
  streams: boolean;
  settingsSchema: { type: string; properties?: Record<string, unknown> };
  plugin: { id: string; version: string; hasTeamSettings: boolean; configured: boolean | null } | null;
}

describe('GET /api/v1/pipelines/node-types', () => {
  it('lists every node kind with its settings as JSON Schema, ports and plugin, for a read-only key', async () => {
    const demo = await seedDemo();
    const key = await createApiKey(demo.teamId, ['read']);
    const res = await SELF.fetch(`${BASE}/api/v1/pipelines/node-types`, authed(key));
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: NodeType[] };
    const byId = new Map(data.map((type) => [type.id, type]));
    for (const id of ['start', 'end', 'static_router', 'set_state', 'reply', 'end_conversation', 'template'])
      expect(byId.has(id), id).toBe(true);
    expect(byId.get('start')).toMatchObject({ plugin: null, ports: ['out'], routes: false });
    expect(byId.get('end')).toMatchObject({ plugin: null, ports: [] });
    expect(byId.get('static_router')).toMatchObject({
      routes: true,
      ports: null,
      streams: false,
      plugin: { id: 'static-router', version: '1.0.0', hasTeamSettings: false, configured: null },
      settingsSchema: { type: 'object', properties: { source: { enum: ['input', 'run', 'session', 'participant'] } } },
    });
    expect(byId.get('template')?.settingsSchema.properties).toHaveProperty('template');
  });

  it('needs an API key', async () => {
    const res = await SELF.fetch(`${BASE}/api/v1/pipelines/node-types`);
    expect(res.status).toBe(401);
  });
});

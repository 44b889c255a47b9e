import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { authed, BASE, seedDemo } from '../../test/seed.ts';
import { signIn, withSession } from '../auth/testing.ts';

describe('API keys over the API', () => {
  it('creates a key shown once, lists only its prefix, and revokes it at once', async () => {
    const demo = await seedDemo();
    const owner = await signIn(demo.ownerEmail, demo.ownerPassword);
    const created = await SELF.fetch(
      `${BASE}/api/v1/api-keys`,
      withSession(owner, { method: 'POST', body: JSON.stringify({ name: 'CI', scopes: ['read', 'read'] }) }),
    );
    expect(created.status).toBe(201);
    const key = (await created.json()) as {
      id: string;
      key: string;
      prefix: string;
      scopes: string[];
      createdBy: string;
    };
    expect(key.key).toMatch(/^prl_/);
    expect(key.key.startsWith(key.prefix)).toBe(true);
    expect(key.scopes).toEqual(['read']);
    expect(key.createdBy).toBe(owner.userId);

    expect((await SELF.fetch(`${BASE}/api/v1/chatbots`, authed(key.key))).status).toBe(200);
    const list = await SELF.fetch(`${BASE}/api/v1/api-keys`, authed(demo.apiKey));
    const text = await list.text();
    expect(text).toContain(key.id);
    expect(text).not.toContain(key.key);

    const revoked = await SELF.fetch(`${BASE}/api/v1/api-keys/${key.id}`, withSession(owner, { method: 'DELETE' }));
    expect(revoked.status).toBe(204);
    expect(await revoked.text()).toBe('');
    const listed = (await (await SELF.fetch(`${BASE}/api/v1/api-keys`, authed(demo.apiKey))).json()) as {
      data: { id: string; revokedAt: string | null }[];
    };
    expect(listed.data.find((row) => row.id === key.id)?.revokedAt).toEqual(expect.any(String));
    expect((await SELF.fetch(`${BASE}/api/v1/chatbots`, authed(key.key))).status).toBe(401);
  });

  it('validates scopes and keeps other teams’ keys out of reach', async () => {
    const teamA = await seedDemo();
    const teamB = await seedDemo();
    const bad = await SELF.fetch(
      `${BASE}/api/v1/api-keys`,
      authed(teamA.apiKey, { method: 'POST', body: JSON.stringify({ name: 'x', scopes: ['root'] }) }),
    );
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('body.scopes');
    const listA = (await (await SELF.fetch(`${BASE}/api/v1/api-keys`, authed(teamA.apiKey))).json()) as {
      data: { id: string }[];
    };
    const keyA = listA.data[0]?.id ?? '';
    const foreign = await SELF.fetch(`${BASE}/api/v1/api-keys/${keyA}`, authed(teamB.apiKey, { method: 'DELETE' }));
    expect(foreign.status).toBe(404);
    expect((await SELF.fetch(`${BASE}/api/v1/chatbots`, authed(teamA.apiKey))).status).toBe(200);
  });
});

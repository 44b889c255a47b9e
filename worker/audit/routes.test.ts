import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { authed, BASE, seedDemo, startConversation } from '../../test/seed.ts';
import { addMember, signIn, withSession } from '../auth/testing.ts';
import { auditName, changesFromBody } from './summary.ts';

interface Entry {
  action: string;
  route: string;
  status: number;
  actor: { type: string; id: string; label: string };
  target: { type: string | null; id: string | null };
  changes: Record<string, { after?: unknown }> | null;
  ip: string | null;
}

async function auditLog(apiKey: string, query = ''): Promise<{ data: Entry[]; nextCursor: string | null }> {
  const res = await SELF.fetch(`${BASE}/api/v1/audit-log${query}`, authed(apiKey));
  expect(res.status).toBe(200);
  return (await res.json()) as { data: Entry[]; nextCursor: string | null };
}

describe('audit log', () => {
  it('names actions from the route and redacts secrets from the fields set', () => {
    expect(auditName('PATCH', '/api/v1/chatbots/:idOrSlug', { idOrSlug: 'bot_1' })).toEqual({
      action: 'chatbot.update',
      targetType: 'chatbot',
      targetId: 'bot_1',
    });
    expect(auditName('POST', '/api/v1/chatbots/:idOrSlug/archive', { idOrSlug: 'b' }).action).toBe('chatbot.archive');
    expect(auditName('POST', '/api/v1/chatbots/:idOrSlug/versions', { idOrSlug: 'b' }).action).toBe(
      'chatbot.version.create',
    );
    expect(auditName('DELETE', '/api/v1/api-keys/:id', { id: 'key_1' })).toEqual({
      action: 'api_key.delete',
      targetType: 'api_key',
      targetId: 'key_1',
    });
    expect(auditName('POST', '/api/v1/chatbots', {})).toEqual({
      action: 'chatbot.create',
      targetType: null,
      targetId: null,
    });
    expect(
      changesFromBody({ name: 'Bot', apiKey: 'sk-123', settings: { a: 1 }, password: 'x', note: 'n'.repeat(200) }),
    ).toEqual({
      name: { after: 'Bot' },
      apiKey: { after: '[redacted]' },
      settings: { after: '{…}' },
      password: { after: '[redacted]' },
      note: { after: `${'n'.repeat(80)}…` },
    });
  });

  it('records a change by an API key and by a signed-in person, and filters them', async () => {
    const demo = await seedDemo();
    const byKey = await SELF.fetch(
      `${BASE}/api/v1/chatbots/${demo.chatbotId}`,
      authed(demo.apiKey, {
        method: 'PATCH',
        body: JSON.stringify({ description: 'set by key' }),
        headers: { 'cf-connecting-ip': '203.0.113.7' },
      }),
    );
    expect(byKey.status).toBe(200);
    const editor = await signIn((await addMember(demo.teamId, 'editor')).email);
    const created = await SELF.fetch(
      `${BASE}/api/v1/chatbots`,
      withSession(editor, { method: 'POST', body: JSON.stringify({ name: 'Audited bot' }) }),
    );
    expect(created.status).toBe(201);
    const newBot = ((await created.json()) as { id: string }).id;
    // Refused and read-only requests, and conversation traffic, are not audit entries.
    await SELF.fetch(
      `${BASE}/api/v1/chatbots/${demo.chatbotId}`,
      authed(demo.apiKey, { method: 'PATCH', body: '{"name":""}' }),
    );
    await SELF.fetch(`${BASE}/api/v1/chatbots`, authed(demo.apiKey));
    await startConversation(demo.apiKey, demo.chatbotId);

    const { data } = await auditLog(demo.apiKey);
    expect(data).toHaveLength(2);
    const [bySession, byApiKey] = data;
    expect(bySession).toMatchObject({
      action: 'chatbot.create',
      route: 'POST /api/v1/chatbots',
      status: 201,
      actor: { type: 'user', id: editor.userId },
      target: { type: 'chatbot', id: newBot },
      changes: { name: { after: 'Audited bot' } },
    });
    expect(byApiKey).toMatchObject({
      action: 'chatbot.update',
      route: 'PATCH /api/v1/chatbots/{idOrSlug}',
      actor: { type: 'api_key', label: expect.stringMatching(/^Demo key \(prl_/) },
      target: { type: 'chatbot', id: demo.chatbotId },
      changes: { description: { after: 'set by key' } },
      ip: '203.0.113.7',
    });

    expect((await auditLog(demo.apiKey, `?actorId=${editor.userId}`)).data.map((e) => e.action)).toEqual([
      'chatbot.create',
    ]);
    expect((await auditLog(demo.apiKey, '?action=chatbot.update')).data).toHaveLength(1);
    expect((await auditLog(demo.apiKey, '?action=chatbot.')).data).toHaveLength(2);
    expect((await auditLog(demo.apiKey, `?targetId=${demo.chatbotId}`)).data).toHaveLength(1);
    expect((await auditLog(demo.apiKey, '?to=2020-01-01')).data).toHaveLength(0);
    const firstPage = await auditLog(demo.apiKey, '?limit=1');
    expect(firstPage.data).toHaveLength(1);
    const secondPage = await auditLog(demo.apiKey, `?limit=1&cursor=${firstPage.nextCursor}`);
    expect(secondPage.data[0]?.action).toBe('chatbot.update');
    expect(secondPage.nextCursor).toBeNull();
  });

  it('is visible to admins only, and only for their own team', async () => {
    const demo = await seedDemo();
    const editor = await signIn((await addMember(demo.teamId, 'editor')).email);
    expect((await SELF.fetch(`${BASE}/api/v1/audit-log`, withSession(editor))).status).toBe(403);
    await SELF.fetch(
      `${BASE}/api/v1/api-keys`,
      authed(demo.apiKey, { method: 'POST', body: JSON.stringify({ name: 'k', scopes: ['read'] }) }),
    );
    const other = await seedDemo();
    expect((await auditLog(other.apiKey)).data).toEqual([]);
    const own = (await auditLog(demo.apiKey)).data;
    expect(own.map((e) => e.action)).toEqual(['api_key.create']);
    expect(JSON.stringify(own)).not.toContain('"key"');
  });
});

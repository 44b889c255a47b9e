import { describe, expect, it } from 'vitest';
import { api, errorFields } from '../../test/api-fixtures.ts';
import { seedDemo } from '../../test/seed.ts';
import { fakeMcpUrl } from './testing.ts';

interface View {
  id: string;
  auth: { kind: string; headerNames?: string[] };
  allowedTools: string[];
  tools: { name: string }[] | null;
}

describe('/api/v1/mcp-servers', () => {
  it('adds a server, lists its tools, picks some, and deletes it; header values never come back', async () => {
    const { apiKey } = await seedDemo();
    const created = await api.send(apiKey, 'POST', '/api/v1/mcp-servers', {
      name: 'Fake',
      url: fakeMcpUrl(),
      auth: { kind: 'headers', headers: { 'x-api-key': 'very-secret-value' } },
    });
    expect(created.status).toBe(201);
    const server = (await created.json()) as View;
    expect(server.auth).toEqual({ kind: 'headers', headerNames: ['x-api-key'] });
    expect(server.tools).toBeNull();

    const refreshed = await api.send(apiKey, 'POST', `/api/v1/mcp-servers/${server.id}/tools/refresh`);
    const outcome = (await refreshed.json()) as { ok: boolean; message: string; server: View };
    expect(outcome.ok).toBe(true);
    expect(outcome.server.tools?.map((tool) => tool.name).sort()).toEqual([
      'add',
      'count_slowly',
      'echo',
      'fail',
      'picture',
    ]);

    const patched = await api.send(apiKey, 'PATCH', `/api/v1/mcp-servers/${server.id}`, { allowedTools: ['echo'] });
    expect(((await patched.json()) as View).allowedTools).toEqual(['echo']);
    const listed = await api.get(apiKey, '/api/v1/mcp-servers');
    const text = await listed.text();
    expect(text).toContain(server.id);
    expect(text).not.toContain('very-secret-value');

    expect((await api.send(apiKey, 'DELETE', `/api/v1/mcp-servers/${server.id}`)).status).toBe(204);
    expect((await api.get(apiKey, `/api/v1/mcp-servers/${server.id}`)).status).toBe(404);
  });

  it('refuses bad input naming the field', async () => {
    const { apiKey } = await seedDemo();
    const res = await api.send(apiKey, 'POST', '/api/v1/mcp-servers', { name: 'x', url: 'ftp://example.com' });
    expect(res.status).toBe(400);
    expect(await errorFields(res)).toContain('body.url');
  });

  it('reports a failed connection as ok: false', async () => {
    const { apiKey } = await seedDemo();
    const created = await api.send(apiKey, 'POST', '/api/v1/mcp-servers', {
      name: 'Locked',
      url: fakeMcpUrl('/secure/mcp'),
    });
    const { id } = (await created.json()) as View;
    const refreshed = await api.send(apiKey, 'POST', `/api/v1/mcp-servers/${id}/tools/refresh`);
    expect(refreshed.status).toBe(200);
    expect(((await refreshed.json()) as { ok: boolean }).ok).toBe(false);
  });
});

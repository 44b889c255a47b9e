import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api } from '../../test/api-fixtures.ts';
import { seedDemo } from '../../test/seed.ts';
import { fakeActionsUrl } from '../custom-actions/testing.ts';
import { database } from '../db/client.ts';
import { refreshTools } from '../mcp/list-tools.ts';
import { fakeMcpServer } from '../mcp/testing.ts';
import type { CatalogTool, ToolCatalog } from './catalog.ts';

async function catalogOf(apiKey: string): Promise<ToolCatalog> {
  const res = await api.get(apiKey, '/api/v1/tools');
  expect(res.status).toBe(200);
  return (await res.json()) as ToolCatalog;
}

const byName = (catalog: ToolCatalog, name: string): CatalogTool | undefined =>
  catalog.tools.find((tool) => tool.name === name);

describe('GET /api/v1/tools', () => {
  it('lists tool plugins, every built-in set and the allowed, cached MCP tools, grouped by source', async () => {
    const demo = await seedDemo();
    const server = await fakeMcpServer(demo.teamId, ['echo', 'fail']);
    await refreshTools(env, database(env.DB), server);
    const catalog = await catalogOf(demo.apiKey);

    expect(catalog.groups.map((group) => group.id)).toEqual([
      'clock',
      'builtin:reminders',
      'builtin:participant_data',
      'builtin:session_state',
      'builtin:end_conversation',
      'builtin:calculator',
      `mcp:${server.id}`,
    ]);
    expect(catalog.groups.find((group) => group.id === `mcp:${server.id}`)).toMatchObject({
      kind: 'mcp',
      title: 'Fake tools',
    });
    // Plugin functions come with their JSON Schema; built-in functions are named by their set only.
    expect(byName(catalog, 'current_time')).toMatchObject({ id: null, kind: 'plugin', group: 'clock' });
    expect(byName(catalog, 'current_time')?.parameters).toHaveProperty('type', 'object');
    expect(byName(catalog, 'calculate')).toMatchObject({ id: null, kind: 'builtin', group: 'builtin:calculator' });
    expect(byName(catalog, 'calculate')?.description).not.toBe('');
    // MCP tools: only the allowed ones, each nameable alone, with the schema from tools/list.
    const mcp = catalog.tools.filter((tool) => tool.group === `mcp:${server.id}`);
    expect(mcp.map((tool) => tool.id).sort()).toEqual([`mcp:${server.id}/echo`, `mcp:${server.id}/fail`]);
    expect(byName(catalog, 'echo')?.parameters).toMatchObject({ properties: { text: { type: 'string' } } });
    expect(catalog.groups.every((group) => group.needsConfiguration === undefined)).toBe(true);
  });

  it('says which MCP server still needs its tools listed', async () => {
    const demo = await seedDemo();
    const server = await fakeMcpServer(demo.teamId, ['echo']);
    const catalog = await catalogOf(demo.apiKey);
    expect(catalog.groups.find((group) => group.id === `mcp:${server.id}`)?.needsConfiguration).toContain(
      'never listed',
    );
    expect(catalog.tools.some((tool) => tool.group === `mcp:${server.id}`)).toBe(false);
  });

  it("never shows team A's MCP servers or their tools to team B", async () => {
    const a = await seedDemo();
    const server = await fakeMcpServer(a.teamId, ['echo']);
    await refreshTools(env, database(env.DB), server);
    const b = await seedDemo();
    const res = await api.get(b.apiKey, '/api/v1/tools');
    const text = await res.text();
    expect(text).not.toContain(server.id);
    const catalog = JSON.parse(text) as ToolCatalog;
    expect(catalog.groups.some((group) => group.kind === 'mcp')).toBe(false);
    expect(byName(catalog, 'echo')).toBeUndefined();
    expect(byName(catalog, 'calculate')).toBeDefined();
  });

  it("lists a custom action's selected operations, each pickable alone, and only to its own team", async () => {
    const a = await seedDemo();
    const created = await api.send(a.apiKey, 'POST', '/api/v1/custom-actions', {
      name: 'Pets',
      spec: { source: 'url', url: fakeActionsUrl('/openapi.yaml') },
      selectedOperations: ['getPet'],
      auth: { kind: 'none' },
    });
    expect(created.status).toBe(201);
    const action = (await created.json()) as { id: string; operations: { operationId: string; toolName: string }[] };
    const toolName = action.operations.find((op) => op.operationId === 'getPet')?.toolName ?? '';
    const group = `action:${action.id}`;
    const catalog = await catalogOf(a.apiKey);
    expect(catalog.groups.find((entry) => entry.id === group)).toMatchObject({ title: 'Pets' });
    expect(catalog.groups.find((entry) => entry.id === group)?.needsConfiguration).toBeUndefined();
    expect(catalog.tools.filter((tool) => tool.group === group).map((tool) => tool.id)).toEqual([
      `${group}/${toolName}`,
    ]);

    const emptied = await api.send(a.apiKey, 'PATCH', `/api/v1/custom-actions/${action.id}`, {
      selectedOperations: [],
    });
    expect(emptied.status).toBe(200);
    expect((await catalogOf(a.apiKey)).groups.find((entry) => entry.id === group)?.needsConfiguration).toContain(
      'No operation',
    );
    const b = await seedDemo();
    expect(await (await api.get(b.apiKey, '/api/v1/tools')).text()).not.toContain(action.id);
  });
});

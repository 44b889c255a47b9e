import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import type { Env } from '../env.ts';
import { systemClock } from '../ports/clock.ts';
import { hostToolIssues, toolReferences } from '../tools/checks.ts';
import { toolboxFor } from '../tools/toolbox.ts';
import { connectMcp } from './client.ts';
import { refreshTools } from './list-tools.ts';
import { MAX_RESULT_CHARS } from './results.ts';
import { createServer, getServer, viewOf } from './store.ts';
import { fakeMcpServer, fakeMcpUrl } from './testing.ts';

const ports = { clock: systemClock, fetch, signal: new AbortController().signal };
const turnOf = (teamId: string) => ({
  env,
  teamId,
  chatbotId: 'bot_x',
  conversationId: 'conv_x',
  participantId: null,
  clock: systemClock,
});

async function readyServer(allowed = ['echo', 'count_slowly', 'fail', 'picture']) {
  const demo = await seedDemo();
  const row = await fakeMcpServer(demo.teamId, allowed);
  await refreshTools(env, database(env.DB), row);
  const fresh = await getServer(database(env.DB), demo.teamId, row.id);
  if (!fresh) throw new Error('server row vanished');
  return { teamId: demo.teamId, row: fresh };
}

describe('MCP tool source', () => {
  it('lists the server’s tools into the D1 cache with their schemas', async () => {
    const { row } = await readyServer();
    const view = await viewOf(env, row);
    expect(view.tools?.map((tool) => tool.name).sort()).toEqual(['add', 'count_slowly', 'echo', 'fail', 'picture']);
    expect(view.tools?.find((tool) => tool.name === 'echo')?.inputSchema).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string' } },
      required: ['text'],
    });
    expect(view.toolsRefreshedAt).not.toBeNull();
  });

  it('calls tools in a turn’s toolbox: text, progress with a long result cut, isError as an error, images summarised', async () => {
    const { teamId, row } = await readyServer();
    const toolbox = await toolboxFor(turnOf(teamId), [`mcp:${row.id}`]);
    expect(
      toolbox
        .specs()
        .map((spec) => spec.name)
        .sort(),
    ).toEqual(['count_slowly', 'echo', 'fail', 'picture']);
    const call = (name: string, args: unknown) =>
      toolbox.run({ id: `c-${name}`, name, arguments: JSON.stringify(args) }, ports);

    expect(await call('echo', { text: 'hi' })).toMatchObject({ ok: true, output: '"echo: hi"' });
    const counted = await call('count_slowly', { n: 3 });
    expect(counted.ok).toBe(true);
    const text = JSON.parse(counted.output) as string;
    expect(text.startsWith('counted to 3 ...')).toBe(true);
    expect(text).toContain(`[cut at ${MAX_RESULT_CHARS} characters]`);
    const failed = await call('fail', {});
    expect(failed.ok).toBe(false);
    expect(JSON.parse(failed.output)).toEqual({ error: 'the database is on fire' });
    expect(JSON.parse((await call('picture', {})).output)).toBe('here it is\n[image image/png]');
    // The schema from tools/list is checked before the server is called.
    expect((await call('echo', { text: 3 })).ok).toBe(false);
  });

  it('gives only the allowed tools, and `mcp:<id>/<tool>` names one', async () => {
    const { teamId, row } = await readyServer(['echo']);
    const all = await toolboxFor(turnOf(teamId), [`mcp:${row.id}`]);
    expect(all.specs().map((spec) => spec.name)).toEqual(['echo']);
    const db = database(env.DB);
    expect(await hostToolIssues(db, teamId, toolReferences([`mcp:${row.id}/echo`], 'n'))).toEqual([]);
    expect(await hostToolIssues(db, teamId, toolReferences([`mcp:${row.id}/fail`], 'n'))).toEqual([
      { field: 'n.tools.0', message: 'tool "fail" of MCP server "Fake tools" is not allowed' },
    ]);
  });

  it('keeps a team’s servers from another team', async () => {
    const { row } = await readyServer();
    const other = await seedDemo();
    const db = database(env.DB);
    const issues = await hostToolIssues(db, other.teamId, toolReferences([`mcp:${row.id}`], 'n'));
    expect(issues[0]?.message).toContain('does not exist');
    await expect(toolboxFor(turnOf(other.teamId), [`mcp:${row.id}`])).rejects.toThrow('does not exist');
    expect(await getServer(db, other.teamId, row.id)).toBeUndefined();
  });

  it('sends the sealed bearer token and never shows it', async () => {
    const demo = await seedDemo();
    const SECURE_TOKEN = 'mcp-test-token';
    const row = await fakeMcpServer(demo.teamId, ['echo'], { kind: 'bearer', token: SECURE_TOKEN }, '/secure/mcp');
    expect(row.sealedAuth).not.toContain(SECURE_TOKEN);
    const tools = await refreshTools(env, database(env.DB), row);
    expect(tools.map((tool) => tool.name)).toContain('echo');
    expect(JSON.stringify(await viewOf(env, row))).not.toContain(SECURE_TOKEN);
    const anonymous = await fakeMcpServer(demo.teamId, ['echo'], { kind: 'none' }, '/secure/mcp');
    await expect(refreshTools(env, database(env.DB), anonymous)).rejects.toThrow();
  });

  it('speaks the older HTTP+SSE transport: lists and calls tools', async () => {
    const demo = await seedDemo();
    const row = await createServer(env, database(env.DB), demo.teamId, {
      name: 'Old server',
      url: fakeMcpUrl('/sse'),
      transport: 'sse',
      auth: { kind: 'none' },
      allowedTools: ['echo'],
    });
    const tools = await refreshTools(env, database(env.DB), row);
    expect(tools.map((tool) => tool.name).sort()).toEqual(['add', 'count_slowly', 'echo', 'fail', 'picture']);
    const fresh = await getServer(database(env.DB), demo.teamId, row.id);
    if (!fresh) throw new Error('server row vanished');
    const toolbox = await toolboxFor(turnOf(demo.teamId), [`mcp:${fresh.id}`]);
    expect(await toolbox.run({ id: 'c1', name: 'echo', arguments: '{"text":"over sse"}' }, ports)).toMatchObject({
      ok: true,
      output: '"echo: over sse"',
    });
  });

  it('refuses a loopback server unless private outbound is allowed', async () => {
    const deployed = { ...env, ALLOW_PRIVATE_OUTBOUND: 'false' } as Env;
    await expect(
      connectMcp(deployed, { url: fakeMcpUrl(), transport: 'streamable-http', headers: {} }),
    ).rejects.toThrow(/refused to fetch .*127\.0\.0\.1 is/);
  });
});

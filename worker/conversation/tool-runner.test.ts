import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin, type ToolPlugin } from '../../plugins/sdk/index.ts';
import { seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { insertPluginConfig, preparePluginConfig } from '../plugin-configs/store.ts';
import { insertSealedConfig } from '../plugin-configs/testing.ts';
import { guardPlugin } from '../plugins/guard.ts';
import { systemClock } from '../ports/clock.ts';
import { Toolbox } from './tool-runner.ts';

const API_KEY = 'sk-vault-tool-secret-0123456789';

/** A tool that cannot work without a secret: it answers whether the key it was handed is the one configured. */
const vaultTool = definePlugin({
  id: 'vault',
  kind: 'tool',
  displayName: 'Vault',
  description: 'Test tool that needs an API key',
  version: '1.0.0',
  settings: z.object({ apiKey: z.string().min(1), region: z.string().default('eu') }),
  secrets: ['apiKey'],
  functions: [
    {
      name: 'vault_lookup',
      description: 'Looks something up',
      parameters: z.strictObject({}),
      run: async (ctx) => ({ authorized: ctx.settings.apiKey === API_KEY, region: ctx.settings.region }),
    },
  ],
});
const tools = new Map<string, ToolPlugin>([['vault', guardPlugin(vaultTool)]]);
const ports = () => ({ clock: systemClock, fetch, signal: new AbortController().signal });

const configure = (teamId: string, secrets: Record<string, unknown>, settings: Record<string, unknown>) =>
  insertSealedConfig(teamId, { kind: 'tool', pluginId: 'vault', uniqueKey: 'vault', settings, secrets });

describe('Toolbox.forTeam', () => {
  it("hands each tool the team's settings with its secrets decrypted", async () => {
    const demo = await seedDemo();
    await configure(demo.teamId, { apiKey: API_KEY }, { region: 'us' });
    const toolbox = await Toolbox.forTeam(env, demo.teamId, ['vault'], tools);
    const outcome = await toolbox.run({ id: 'call_1', name: 'vault_lookup', arguments: '{}' }, ports());
    expect(outcome).toMatchObject({ ok: true });
    expect(JSON.parse(outcome.output)).toEqual({ authorized: true, region: 'us' });
  });

  it('refuses a tool the team has not configured, naming the missing setting and not another team’s', async () => {
    const configured = await seedDemo();
    await configure(configured.teamId, { apiKey: API_KEY }, {});
    const other = await seedDemo();
    await expect(Toolbox.forTeam(env, other.teamId, ['vault'], tools)).rejects.toThrow(
      'Tool plugin "vault" needs settings this team has not configured: apiKey',
    );
  });

  it('gives installed tools without a configuration their defaults', async () => {
    const demo = await seedDemo();
    const toolbox = await Toolbox.forTeam(env, demo.teamId, ['clock']);
    const outcome = await toolbox.run({ id: 'call_2', name: 'current_time', arguments: '{}' }, ports());
    expect(JSON.parse(outcome.output)).toMatchObject({ timeZone: 'UTC' });
  });

  it('reads a configuration saved through the store', async () => {
    const demo = await seedDemo();
    const { row } = await preparePluginConfig(env, demo.teamId, {
      pluginId: 'clock',
      name: 'Clock',
      settings: { defaultTimeZone: 'Asia/Tokyo' },
    });
    await insertPluginConfig(database(env.DB), row);
    const toolbox = await Toolbox.forTeam(env, demo.teamId, ['clock']);
    const outcome = await toolbox.run({ id: 'call_3', name: 'current_time', arguments: '{}' }, ports());
    expect(JSON.parse(outcome.output)).toMatchObject({ timeZone: 'Asia/Tokyo' });
  });
});

describe('Toolbox.withHostTools', () => {
  const echo = {
    name: 'host_echo',
    description: 'Echoes a word',
    parameters: {
      type: 'object',
      properties: { word: { type: 'string', maxLength: 5 } },
      required: ['word'],
      additionalProperties: false,
    },
    run: async (args: Record<string, unknown>) => ({ echoed: args.word as string }),
  };

  it('offers host tools next to plugin tools and runs them with validated arguments', async () => {
    const box = Toolbox.fromPluginIds([], new Map(), tools).withHostTools([echo]);
    expect(box.specs().map((spec) => spec.name)).toEqual(['host_echo']);
    const ok = await box.run({ id: 'c1', name: 'host_echo', arguments: '{"word":"hi"}' }, ports());
    expect(ok).toEqual({ callId: 'c1', name: 'host_echo', ok: true, output: '{"echoed":"hi"}' });
    const bad = await box.run({ id: 'c2', name: 'host_echo', arguments: '{"word":"far too long"}' }, ports());
    expect(bad.ok).toBe(false);
    expect(bad.output).toContain('Invalid arguments');
  });

  it('refuses a host tool whose name clashes with an enabled tool', () => {
    const box = Toolbox.fromPluginIds([], new Map(), tools).withHostTools([echo]);
    expect(() => box.withHostTools([echo])).toThrow('Two enabled tools define a function named "host_echo"');
  });
});

import { describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import type { ChannelPlugin, ChannelSetupInput, PluginContext, SetupResult } from '../../plugins/sdk/index.ts';
import { definePlugin } from '../../plugins/sdk/index.ts';
import { runChannelSetup } from './setup.ts';

const SECRET = 'tok-5ecret-value';
const WEBHOOK = 'https://parley.example/webhooks/fixture-setup/chn_1';

const fixtureSettings = z.object({ token: z.string(), region: z.string().default('eu') });
type FixtureContext = PluginContext<z.infer<typeof fixtureSettings>>;

/** A channel plugin whose setup does what `behaviour` says; the other hooks are never called here. */
function fixture(
  behaviour?: (ctx: FixtureContext, webhookUrl: string) => Promise<SetupResult>,
): ChannelPlugin<typeof fixtureSettings> {
  const plugin: ChannelPlugin<typeof fixtureSettings> = {
    id: 'fixture-setup',
    kind: 'channel',
    displayName: 'Fixture',
    description: 'Test fixture for runChannelSetup; never registered.',
    version: '0.0.1',
    settings: fixtureSettings,
    secrets: ['token'],
    capabilities: { inbound: ['text'], typingIndicator: false, editMessages: false, maxMessageLength: 100 },
    verify: async () => ({ ok: false, status: 401, reason: 'fixture' }),
    parse: () => ({ messages: [] }),
    send: async () => ({ ok: false, retryable: false, code: 'fixture', message: 'fixture' }),
    ...(behaviour && { setup: (ctx: FixtureContext, input: ChannelSetupInput) => behaviour(ctx, input.webhookUrl) }),
  };
  return definePlugin(plugin);
}

const settings = { token: SECRET, region: 'eu' };

describe('runChannelSetup', () => {
  it('is null when the plugin has no setup hook', async () => {
    expect(await runChannelSetup(fixture(), settings, WEBHOOK)).toBeNull();
  });

  it('passes the settings, webhook URL, a working fetch and a live signal, and returns the outcome', async () => {
    let seen: { settings: unknown; url: string; aborted: boolean; fetched: number } | undefined;
    const plugin = fixture(async (ctx, url) => {
      // Called as a method, the way plugins call it: workerd's own fetch would throw "Illegal invocation" here.
      const answer = await ctx.fetch(`${inject('fakeServers').telegram}/__requests?contains=none`, {
        signal: ctx.signal,
      });
      seen = { settings: ctx.settings, url, aborted: ctx.signal.aborted, fetched: answer.status };
      return { ok: true, message: 'Webhook set' };
    });
    expect(await runChannelSetup(plugin, settings, WEBHOOK)).toEqual({ ok: true, message: 'Webhook set' });
    expect(seen).toEqual({ settings, url: WEBHOOK, aborted: false, fetched: 200 });
  });

  it('turns a throw into ok:false and redacts secrets from every message', async () => {
    const throwing = fixture(async () => {
      throw new Error(`connect failed for https://api.example/bot${SECRET}/setWebhook`);
    });
    const failed = await runChannelSetup(throwing, settings, WEBHOOK);
    expect(failed?.ok).toBe(false);
    expect(failed?.message).toContain('Fixture');
    expect(failed?.message).toContain('[redacted]');
    expect(failed?.message).not.toContain(SECRET);

    const refused = fixture(async () => ({ ok: false, message: `Token ${SECRET} rejected` }));
    expect(await runChannelSetup(refused, settings, WEBHOOK)).toEqual({
      ok: false,
      message: 'Token [redacted] rejected',
    });
  });
});

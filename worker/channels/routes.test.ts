import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, errorFields, scopedKey } from '../../test/api-fixtures.ts';
import { BASE, seedDemo } from '../../test/seed.ts';
import { forgetChannel, loadChannel } from './runtime.ts';
import { type ChannelBody, FAKE_TELEGRAM_TOKEN, postChannel, telegramChannel } from './testing.ts';

const DEFAULT_OPTIONS = {
  unsupportedReply: "Sorry, I can't read that kind of message yet. Could you send it as text?",
  errorReply: 'Sorry, something went wrong on my side. Please try again in a moment.',
  streamEdits: true,
  voiceReplies: false,
};

describe('POST /api/v1/channels', () => {
  it('creates a channel: public settings with defaults, secret names only, options defaulted, webhook URL', async () => {
    const demo = await seedDemo();
    const { body, webhookSecret } = telegramChannel(demo.chatbotId);
    const created = await postChannel(demo.apiKey, body);
    expect(created.status).toBe(201);
    const channel = created.json;
    expect(channel.id).toMatch(/^chn_/);
    expect(channel).toMatchObject({
      chatbotId: demo.chatbotId,
      pluginId: 'telegram',
      name: 'Support on Telegram',
      enabled: true,
      settings: { botUsername: 'ParleyBot', apiBaseUrl: body.settings.apiBaseUrl },
      secretsSet: ['botToken', 'webhookSecret'],
      options: DEFAULT_OPTIONS,
      webhookUrl: `${BASE}/webhooks/telegram/${channel.id}`,
    });
    expect(Object.keys(channel.settings).sort()).toEqual(['apiBaseUrl', 'botUsername']);
    expect(Date.parse(channel.createdAt)).toBeGreaterThan(0);
    expect(channel.updatedAt).toBe(channel.createdAt);
    expect(created.text).not.toContain(webhookSecret);
    expect(created.text).not.toContain(FAKE_TELEGRAM_TOKEN);

    const got = await api.get(demo.apiKey, `/api/v1/channels/${channel.id}`);
    expect(got.status).toBe(200);
    const text = await got.text();
    expect(text).not.toContain(webhookSecret);
    const { setup: _setup, ...withoutSetup } = channel;
    expect(JSON.parse(text)).toEqual(withoutSetup);
  });

  it('seals the secrets in D1 and keeps them out of the settings column; the runtime decrypts them', async () => {
    const demo = await seedDemo();
    const { body, webhookSecret } = telegramChannel(demo.chatbotId, {
      options: { streamEdits: false },
      enabled: false,
    });
    const { json: channel } = await postChannel(demo.apiKey, body);
    const raw = await env.DB.prepare(
      'SELECT c.settings, c.secrets, ch.options FROM plugin_configs c JOIN channels ch ON ch.id = c.id WHERE c.id = ?',
    )
      .bind(channel.id)
      .first<{ settings: string; secrets: string; options: string }>();
    expect(raw?.secrets).toMatch(/^v1\./);
    expect(raw?.secrets).not.toContain(webhookSecret);
    expect(raw?.secrets).not.toContain(FAKE_TELEGRAM_TOKEN);
    expect(Object.keys(JSON.parse(raw?.settings ?? '{}')).sort()).toEqual(['apiBaseUrl', 'botUsername']);
    expect(raw?.settings).not.toContain(webhookSecret);
    expect(JSON.parse(raw?.options ?? '{}')).toEqual({ ...DEFAULT_OPTIONS, streamEdits: false });

    forgetChannel(channel.id);
    const runtime = await loadChannel(env, channel.id);
    expect(runtime).toMatchObject({ teamId: demo.teamId, pluginId: 'telegram', enabled: false });
    expect(runtime?.settings).toMatchObject({ botToken: FAKE_TELEGRAM_TOKEN, webhookSecret });
    expect(runtime?.options.streamEdits).toBe(false);
    expect(channel.enabled).toBe(false);
  });

  it('accepts the chatbot by slug and stores its id', async () => {
    const demo = await seedDemo();
    const { json, status } = await postChannel(demo.apiKey, telegramChannel('demo').body);
    expect(status).toBe(201);
    expect(json.chatbotId).toBe(demo.chatbotId);
  });

  it('answers 400 naming every bad field, never quoting a secret', async () => {
    const demo = await seedDemo();
    const leakyToken = 'not a token SECRET-0f9e8d';
    const { body } = telegramChannel(demo.chatbotId);
    const bad = await api.send(demo.apiKey, 'POST', '/api/v1/channels', {
      ...body,
      name: '',
      settings: { botToken: leakyToken, apiBaseUrl: 'not a url', nope: 1 },
      options: { streamEdits: 'yes', surprise: true },
    });
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).not.toContain('SECRET-0f9e8d');
    expect(await errorFields(new Response(text))).toEqual([
      'body.name',
      'body.options.streamEdits',
      'body.options.surprise',
    ]);

    const settings = await api.send(demo.apiKey, 'POST', '/api/v1/channels', {
      ...body,
      settings: { botToken: leakyToken, apiBaseUrl: 'not a url', nope: 1 },
    });
    expect(settings.status).toBe(400);
    const settingsText = await settings.text();
    expect(settingsText).not.toContain('SECRET-0f9e8d');
    expect(await errorFields(new Response(settingsText))).toEqual([
      'body.settings.apiBaseUrl',
      'body.settings.botToken',
      'body.settings.nope',
      'body.settings.webhookSecret',
    ]);

    for (const pluginId of ['carrier-pigeon', 'openai']) {
      const plugin = await api.send(demo.apiKey, 'POST', '/api/v1/channels', { ...body, pluginId });
      expect(plugin.status).toBe(400);
      const error = ((await plugin.json()) as { error: { details: { field: string; message: string }[] } }).error;
      expect(error.details).toEqual([{ field: 'body.pluginId', message: expect.stringContaining('telegram') }]);
      expect(error.details[0]?.message).toContain('whatsapp');
    }
  });

  it('answers 404 for an unknown chatbot or one of another team, 403 to a read key', async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    for (const chatbotId of ['bot_missing', other.chatbotId]) {
      const res = await api.send(demo.apiKey, 'POST', '/api/v1/channels', telegramChannel(chatbotId).body);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain(other.chatbotId);
    }
    const readKey = await scopedKey(demo.teamId, ['read']);
    const refused = await api.send(readKey, 'POST', '/api/v1/channels', telegramChannel(demo.chatbotId).body);
    expect(refused.status).toBe(403);
    const list = await api.get(readKey, '/api/v1/channels');
    expect(((await list.json()) as { data: unknown[] }).data).toEqual([]);
  });
});

describe('GET /api/v1/channels', () => {
  it('pages newest first and filters by chatbot, plugin and enabled, within the team only', async () => {
    const demo = await seedDemo();
    const secondBot = (
      (await (await api.send(demo.apiKey, 'POST', '/api/v1/chatbots', { name: 'Second' })).json()) as { id: string }
    ).id;
    const ids: string[] = [];
    for (const [chatbotId, enabled] of [
      [demo.chatbotId, true],
      [secondBot, true],
      [demo.chatbotId, false],
    ] as const) {
      const { json } = await postChannel(demo.apiKey, telegramChannel(chatbotId, { enabled }).body);
      ids.push(json.id);
    }
    const other = await seedDemo();
    await postChannel(other.apiKey, telegramChannel(other.chatbotId).body);

    const list = async (query: string) => {
      const res = await api.get(demo.apiKey, `/api/v1/channels${query}`);
      expect(res.status).toBe(200);
      return (await res.json()) as { data: ChannelBody[]; nextCursor: string | null };
    };
    const first = await list('?limit=2');
    expect(first.data.map((c) => c.id)).toEqual([ids[2], ids[1]]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await list(`?limit=2&cursor=${first.nextCursor}`);
    expect(second).toEqual({ data: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    expect(first.data[0]?.secretsSet).toEqual(['botToken', 'webhookSecret']);

    expect((await list(`?chatbotId=${secondBot}`)).data.map((c) => c.id)).toEqual([ids[1]]);
    expect((await list('?enabled=false')).data.map((c) => c.id)).toEqual([ids[2]]);
    expect((await list('?enabled=true')).data.map((c) => c.id)).toEqual([ids[1], ids[0]]);
    expect((await list('?pluginId=slack')).data).toEqual([]);
    expect((await list('?pluginId=telegram')).data).toHaveLength(3);

    const bad = await api.get(demo.apiKey, '/api/v1/channels?enabled=maybe');
    expect(bad.status).toBe(400);
    expect(await errorFields(bad)).toEqual(['query.enabled']);
  });

  it('answers 404 for another team’s channel and for an unknown id', async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const { json: channel } = await postChannel(demo.apiKey, telegramChannel(demo.chatbotId).body);
    for (const [key, id] of [
      [other.apiKey, channel.id],
      [demo.apiKey, 'chn_missing'],
    ] as const) {
      const res = await api.get(key, `/api/v1/channels/${id}`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain(demo.chatbotId);
    }
  });
});

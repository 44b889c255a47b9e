import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { api, errorFields, insertConversation, scopedKey } from '../../test/api-fixtures.ts';
import { BASE, seedDemo } from '../../test/seed.ts';
import { database } from '../db/client.ts';
import { conversations } from '../db/schema/index.ts';
import { forgetChannel, loadChannel } from './runtime.ts';
import { type ChannelBody, channelRow, FAKE_TELEGRAM_TOKEN, postChannel, telegramChannel } from './testing.ts';

const patch = async (key: string, id: string, body: unknown) => {
  const res = await api.send(key, 'PATCH', `/api/v1/channels/${id}`, body);
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as ChannelBody };
};

async function runtimeOf(id: string) {
  forgetChannel(id);
  const runtime = await loadChannel(env, id);
  if (!runtime) throw new Error(`channel ${id} did not load`);
  return runtime;
}

/** What the fake Telegram Bot API received whose body mentions `needle` (plugins/sdk/fake/request-log.ts). */
async function telegramRequests(needle: string) {
  const res = await fetch(`${inject('fakeServers').telegram}/__requests?contains=${encodeURIComponent(needle)}`);
  return (await res.json()) as { path: string; body: Record<string, unknown> }[];
}

describe('PATCH /api/v1/channels/{id}', () => {
  it('merges settings over the stored ones: an omitted secret keeps its value, null removes a setting', async () => {
    const demo = await seedDemo();
    const { body, webhookSecret } = telegramChannel(demo.chatbotId);
    const { json: channel } = await postChannel(demo.apiKey, body);

    const renamed = await patch(demo.apiKey, channel.id, { settings: { botUsername: 'OtherBot' } });
    expect(renamed.status).toBe(200);
    expect(renamed.json.settings).toEqual({ botUsername: 'OtherBot', apiBaseUrl: body.settings.apiBaseUrl });
    expect(renamed.json.secretsSet).toEqual(['botToken', 'webhookSecret']);
    expect(renamed.text).not.toContain(webhookSecret);
    expect((await runtimeOf(channel.id)).settings).toMatchObject({
      botToken: FAKE_TELEGRAM_TOKEN,
      webhookSecret,
      botUsername: 'OtherBot',
    });

    const rotated = `whs_rotated_${crypto.randomUUID().slice(0, 8)}`;
    const rotation = await patch(demo.apiKey, channel.id, { settings: { webhookSecret: rotated, botUsername: null } });
    expect(rotation.status).toBe(200);
    expect(rotation.json.settings).toEqual({ apiBaseUrl: body.settings.apiBaseUrl });
    expect(rotation.text).not.toContain(rotated);
    const row = await channelRow(channel.id);
    expect(row.secrets).not.toContain(rotated);
    expect(Object.keys(row.settings)).toEqual(['apiBaseUrl']);
    const runtime = await runtimeOf(channel.id);
    expect(runtime.settings).toMatchObject({ botToken: FAKE_TELEGRAM_TOKEN, webhookSecret: rotated });
    expect(runtime.settings.botUsername).toBeUndefined();
  });

  it('merges options, renames, and disables: the runtime sees enabled false', async () => {
    const demo = await seedDemo();
    const { json: channel } = await postChannel(demo.apiKey, telegramChannel(demo.chatbotId).body);
    await patch(demo.apiKey, channel.id, { options: { streamEdits: false } });
    const second = await patch(demo.apiKey, channel.id, {
      name: 'Renamed',
      enabled: false,
      options: { voiceReplies: true, errorReply: 'Oops.' },
    });
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ name: 'Renamed', enabled: false, setup: null });
    expect(second.json.options).toMatchObject({ streamEdits: false, voiceReplies: true, errorReply: 'Oops.' });
    expect(Date.parse(second.json.updatedAt)).toBeGreaterThanOrEqual(Date.parse(channel.updatedAt));
    const runtime = await runtimeOf(channel.id);
    expect(runtime.enabled).toBe(false);
    expect(runtime.options).toMatchObject({ streamEdits: false, voiceReplies: true });
    const got = (await (await api.get(demo.apiKey, `/api/v1/channels/${channel.id}`)).json()) as ChannelBody;
    expect(got.enabled).toBe(false);
  });

  it('refuses a new chatbot or plugin, unknown fields and invalid settings, and changes nothing', async () => {
    const demo = await seedDemo();
    const { body, webhookSecret } = telegramChannel(demo.chatbotId);
    const { json: channel } = await postChannel(demo.apiKey, body);
    const fixed = await patch(demo.apiKey, channel.id, { chatbotId: 'other', pluginId: 'slack', nmae: 'typo' });
    expect(fixed.status).toBe(400);
    expect(await errorFields(new Response(fixed.text))).toEqual(['body.chatbotId', 'body.nmae', 'body.pluginId']);
    expect(fixed.text).toContain('cannot be changed');

    const invalid = await patch(demo.apiKey, channel.id, {
      name: 'Should not stick',
      settings: { webhookSecret: 'short', surprise: 1 },
      options: { errorReply: '' },
    });
    expect(invalid.status).toBe(400);
    expect(await errorFields(new Response(invalid.text))).toEqual(['body.options.errorReply']);
    const settings = await patch(demo.apiKey, channel.id, { name: 'Nope', settings: { webhookSecret: 'short', x: 1 } });
    expect(await errorFields(new Response(settings.text))).toEqual(['body.settings.webhookSecret', 'body.settings.x']);
    expect((await channelRow(channel.id)).name).toBe('Support on Telegram');
    expect((await runtimeOf(channel.id)).settings.webhookSecret).toBe(webhookSecret);
  });
});

describe('DELETE /api/v1/channels/{id}', () => {
  it('deletes the channel; its conversations stay with no channel', async () => {
    const demo = await seedDemo();
    const { json: channel } = await postChannel(demo.apiKey, telegramChannel(demo.chatbotId).body);
    const conversationId = await insertConversation(demo.teamId, demo.chatbotId, { channelId: channel.id });
    const res = await api.send(demo.apiKey, 'DELETE', `/api/v1/channels/${channel.id}`);
    expect(res.status).toBe(204);
    expect((await api.get(demo.apiKey, `/api/v1/channels/${channel.id}`)).status).toBe(404);
    expect((await api.send(demo.apiKey, 'DELETE', `/api/v1/channels/${channel.id}`)).status).toBe(404);
    const conversation = await database(env.DB).query.conversations.findFirst({
      where: eq(conversations.id, conversationId),
    });
    expect(conversation?.channelId).toBeNull();
    forgetChannel(channel.id);
    expect(await loadChannel(env, channel.id)).toBeNull();
  });

  it('answers 404 to another team and 403 to a key without admin, leaving the channel in place', async () => {
    const demo = await seedDemo();
    const other = await seedDemo();
    const { json: channel } = await postChannel(demo.apiKey, telegramChannel(demo.chatbotId).body);
    for (const method of ['PATCH', 'DELETE']) {
      const res = await api.send(
        other.apiKey,
        method,
        `/api/v1/channels/${channel.id}`,
        method === 'PATCH' ? {} : undefined,
      );
      expect(res.status, method).toBe(404);
      expect(await res.text()).not.toContain(demo.chatbotId);
    }
    const chatKey = await scopedKey(demo.teamId, ['read', 'chat']);
    expect((await api.send(chatKey, 'DELETE', `/api/v1/channels/${channel.id}`)).status).toBe(403);
    expect((await api.send(chatKey, 'PATCH', `/api/v1/channels/${channel.id}`, { enabled: false })).status).toBe(403);
    expect((await channelRow(channel.id)).enabled).toBe(true);
  });
});

describe('channel setup', () => {
  it('registers the Telegram webhook with its URL and secret token on create, and again when settings change', async () => {
    const demo = await seedDemo();
    const { body, webhookSecret } = telegramChannel(demo.chatbotId);
    const created = await postChannel(demo.apiKey, body);
    expect(created.json.setup).toEqual({ ok: true, message: expect.any(String) });
    expect(created.text).not.toContain(webhookSecret);
    const calls = await telegramRequests(webhookSecret);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.path).toBe(`/bot${FAKE_TELEGRAM_TOKEN}/setWebhook`);
    expect(calls[0]?.body).toMatchObject({
      url: `${BASE}/webhooks/telegram/${created.json.id}`,
      secret_token: webhookSecret,
    });

    const renamed = await patch(demo.apiKey, created.json.id, { name: 'No settings change' });
    expect(renamed.json.setup).toBeNull();
    const rotated = `whs_${crypto.randomUUID().replaceAll('-', '')}`;
    const changed = await patch(demo.apiKey, created.json.id, { settings: { webhookSecret: rotated } });
    expect(changed.json.setup).toMatchObject({ ok: true });
    expect((await telegramRequests(rotated)).map((call) => call.body.secret_token)).toEqual([rotated]);
  });

  it('reports a setup the platform refused without failing the call or leaking the token', async () => {
    const demo = await seedDemo();
    // The fake Bot API accepts only FAKE_TELEGRAM_TOKEN and answers 401 "Unauthorized" to any other (a revoked
    // token). An unreachable API takes the same path: runChannelSetup turns the throw into ok:false (setup.test.ts).
    const revoked = '654321:revoked-token-value';
    const { body } = telegramChannel(demo.chatbotId);
    const created = await postChannel(demo.apiKey, { ...body, settings: { ...body.settings, botToken: revoked } });
    expect(created.status).toBe(201);
    expect(created.json.setup).toEqual({ ok: false, message: expect.stringContaining('Unauthorized') });
    expect(created.text).not.toContain(revoked);
    expect((await channelRow(created.json.id)).pluginId).toBe('telegram');
  });
});

/** The webhook route: find the channel, answer handshakes, verify, hand off to the queue, answer fast. */
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import slackMessage from '../../plugins/channels/slack/fixtures/event-callback.message.json?raw';
import telegramText from '../../plugins/channels/telegram/fixtures/update-text.official.json?raw';
import whatsappText from '../../plugins/channels/whatsapp/fixtures/inbound-text.json?raw';
import { BASE } from '../seed.ts';
import {
  channelFixture,
  deliver,
  inboundClaims,
  quietPeriod,
  SECRETS,
  settledConversation,
  signedRequest,
  threadsOf,
} from './webhook-helpers.ts';

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

describe('webhook route', () => {
  it('answers 404 JSON for an unknown channel and for a plugin id that is not the channel’s', async () => {
    const channel = await channelFixture('telegram');
    const unknown = await SELF.fetch(`${BASE}/webhooks/telegram/chn_unknown`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).code).toBe('not_found');
    const mismatch = await SELF.fetch(`${BASE}/webhooks/whatsapp/${channel.channelId}`, { method: 'POST', body: '{}' });
    expect(mismatch.status).toBe(404);
  });

  it('answers the Meta subscription handshake, refuses a wrong verify token, and 405s a GET without handshake', async () => {
    const whatsapp = await channelFixture('whatsapp');
    const query = (token: string) => `?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`;
    const ok = await SELF.fetch(`${whatsapp.url}${query(SECRETS.verifyToken)}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await SELF.fetch(`${whatsapp.url}${query('wrong-token')}`)).status).toBe(403);
    const telegram = await channelFixture('telegram');
    const get = await SELF.fetch(telegram.url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await errorOf(get)).code).toBe('method_not_allowed');
  });

  it('rejects a bad signature with 401/403 JSON and stores nothing', async () => {
    const channel = await channelFixture('whatsapp');
    const signed = await signedRequest(channel, whatsappText);
    const tampered = new Request(signed, { body: whatsappText.replace('another color', 'a free sample') });
    const bad = await SELF.fetch(tampered);
    expect(bad.status).toBe(401);
    expect((await errorOf(bad)).code).toBe('unauthorized');
    const telegram = await channelFixture('telegram');
    const wrongSecret = await SELF.fetch(telegram.url, {
      method: 'POST',
      headers: { 'x-telegram-bot-api-secret-token': 'not-the-secret' },
      body: telegramText,
    });
    expect(wrongSecret.status).toBe(403);
    const unsigned = await SELF.fetch(telegram.url, { method: 'POST', body: telegramText });
    expect(unsigned.status).toBe(401);
    await quietPeriod();
    for (const id of [channel.channelId, telegram.channelId]) {
      expect(await threadsOf(id)).toEqual([]);
      expect(await inboundClaims(id)).toEqual([]);
    }
  }, 20_000);

  it('answers 413 JSON for a body over 1 MiB', async () => {
    const channel = await channelFixture('telegram');
    const res = await deliver(channel, JSON.stringify({ update_id: 1, padding: 'x'.repeat(1024 * 1024) }));
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe('payload_too_large');
  });

  it('acknowledges a disabled channel’s verified webhook with 200 and processes nothing', async () => {
    const channel = await channelFixture('telegram', { enabled: false });
    const res = await deliver(channel, telegramText);
    expect(res.status).toBe(200);
    await quietPeriod();
    expect(await threadsOf(channel.channelId)).toEqual([]);
    expect(await inboundClaims(channel.channelId)).toEqual([]);
  }, 20_000);

  it('drops a group message that does not address the bot', async () => {
    const channel = await channelFixture('slack');
    const res = await deliver(channel, slackMessage); // a channel message with no mention of the bot
    expect(res.status).toBe(200);
    await quietPeriod();
    expect(await threadsOf(channel.channelId)).toEqual([]);
    expect(await inboundClaims(channel.channelId)).toEqual([]);
  }, 20_000);

  it('answers with the plugin’s reply when it has one (Slack url_verification)', async () => {
    const channel = await channelFixture('slack');
    const body = JSON.stringify({
      token: 't',
      challenge: 'challenge-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
      type: 'url_verification',
    });
    const res = await deliver(channel, body);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toBe('challenge-3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
  });

  it('answers 200 before the reply exists: the conversation is answered later by the queue consumer', async () => {
    const channel = await channelFixture('telegram');
    const started = Date.now();
    const res = await deliver(channel, telegramText);
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect(await threadsOf(channel.channelId)).toEqual([]); // nothing processed inline
    expect(elapsed).toBeLessThan(1000);
    const { messages } = await settledConversation(channel.channelId, '1111111');
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  }, 20_000);

  it('is not behind the API rate limiter', async () => {
    const channel = await channelFixture('telegram');
    const res = await deliver(channel, '{"update_id": 1}');
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-policy')).toBeNull();
  });
});

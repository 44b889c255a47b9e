/**
 * Platform errors that quote the request (a proxy, a local Bot API server) must not carry the channel's secrets into
 * `metadata.delivery.error.message`, the messages API or the events stream. The fakes' "echo error" mode answers
 * with the request's URL and headers in the error text.
 */
import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { inboundEnvelope } from '../../plugins/channels/whatsapp/testing.ts';
import { authed, BASE, readUntil } from '../seed.ts';
import { deliveryOf, TELEGRAM_TOKEN, telegramChat } from './fixtures.ts';
import { channelFixture, deliver, messagesOf, settledConversation, waitFor } from './webhook-helpers.ts';

const WHATSAPP_TOKEN = 'test-access-token';

// Generous: real turns against fake platforms on a shared machine.
describe('delivery errors are redacted', { timeout: 30_000 }, () => {
  it('Telegram: the bot token in the quoted Bot API URL reaches neither the messages API nor /events', async () => {
    const chat = await telegramChat({ chatId: 400400, channelOptions: { streamEdits: false } });
    const events = await SELF.fetch(`${BASE}/api/v1/conversations/${chat.conversationId}/events`, authed(chat.apiKey));
    await chat.post('Echo my request, please');
    const { delivery } = await deliveryOf(chat, 'failed');
    const message = String((delivery.error as { message: string }).message);
    // The echo really quoted the request: its URL path survives, its credential does not.
    expect(message).toContain('proxy refused POST');
    expect(message).toContain('/bot[redacted]/sendMessage');
    const listed = await SELF.fetch(
      `${BASE}/api/v1/conversations/${chat.conversationId}/messages`,
      authed(chat.apiKey),
    );
    const body = await listed.text();
    expect(body).toContain('proxy refused');
    for (const form of [TELEGRAM_TOKEN, encodeURIComponent(TELEGRAM_TOKEN), 'TEST-fake-bot-token']) {
      expect(body).not.toContain(form);
    }
    const stream = await readUntil(events, (text) => text.includes('proxy refused'));
    expect(stream).toContain('proxy refused');
    expect(stream).not.toContain('TEST-fake-bot-token');
  });

  it('WhatsApp: the access token in the quoted Authorization header is not stored', async () => {
    const channel = await channelFixture('whatsapp');
    const waId = '15550000400';
    const wamid = `wamid.ECHO-${crypto.randomUUID()}`;
    const inbound = inboundEnvelope(
      { id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'Echo, please' } },
      { waId, name: 'Echo Test' },
    );
    expect((await deliver(channel, inbound)).status).toBe(200);
    const { conversationId } = await settledConversation(channel.channelId, waId);
    const messages = await waitFor(
      () => messagesOf(conversationId),
      (list) => list.some((m) => (m.metadata.delivery as { status?: string } | undefined)?.status === 'failed'),
    );
    const reply = messages.find((m) => m.metadata.delivery !== undefined);
    const error = (reply?.metadata.delivery as { error?: { message?: string } } | undefined)?.error;
    expect(error?.message).toContain('Proxy refused');
    expect(error?.message).toContain('Bearer [redacted]');
    const listed = await SELF.fetch(`${BASE}/api/v1/conversations/${conversationId}/messages`, authed(channel.apiKey));
    const body = await listed.text();
    expect(body).toContain('Proxy refused');
    expect(body).not.toContain(WHATSAPP_TOKEN);
  });
});

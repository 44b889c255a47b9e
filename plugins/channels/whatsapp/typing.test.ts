/** WhatsApp's read receipt + typing indicator against the fake Cloud API, asserted on what it received. */
import { describe, expect, it } from 'vitest';
import { receivedBy } from '../../sdk/testing/channel.ts';
import markReadShape from './fixtures/mark-read-typing.request.json';
import { whatsappChannel } from './index.ts';
import { fakeContext } from './testing.ts';
import { markRead, readReceiptRequest, WHATSAPP_TYPING_REFRESH_MS } from './typing.ts';

// Message ids of this file only: the fake is shared by test files running in parallel.
const WAMID = 'wamid.T5-TYPING-7410001';

describe('whatsapp typing()', () => {
  it('declares the indicator, renewed within its 25 s lifetime', () => {
    expect(whatsappChannel.capabilities.typingIndicator).toBe(true);
    expect(whatsappChannel.capabilities.typingRefreshMs).toBe(WHATSAPP_TYPING_REFRESH_MS);
    expect(WHATSAPP_TYPING_REFRESH_MS).toBeLessThan(25_000);
  });

  it('sends the documented read receipt with typing for the message it answers', async () => {
    const { ctx, sent } = fakeContext();
    const result = await whatsappChannel.typing?.(ctx, '16505551234', { replyTo: WAMID });
    expect(result).toEqual({ ok: true, platformMessageIds: [] });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe(`${ctx.settings.apiBaseUrl}/v23.0/106540352242922/messages`);
    expect(sent[0]?.headers.get('authorization')).toBe('Bearer test-access-token');
    expect(sent[0]?.body).toEqual({ ...markReadShape.body, message_id: WAMID });
    // The fake really received (and accepted) it.
    const received = await receivedBy('whatsapp', WAMID);
    expect(received.at(-1)?.body).toEqual({ ...markReadShape.body, message_id: WAMID });
  });

  it('sends nothing without the id of an inbound message', async () => {
    const { ctx, sent } = fakeContext();
    expect(await whatsappChannel.typing?.(ctx, '16505551234')).toMatchObject({
      ok: false,
      retryable: false,
      code: 'no_reply_to',
    });
    expect(await whatsappChannel.typing?.(ctx, '16505551234', {})).toMatchObject({ ok: false, code: 'no_reply_to' });
    expect(sent).toHaveLength(0);
  });

  it('maps the Cloud API refusing a malformed id to a permanent failure', async () => {
    const result = await whatsappChannel.typing?.(fakeContext().ctx, '16505551234', { replyTo: 'not-a-wamid-7410' });
    expect(result).toMatchObject({ ok: false, retryable: false, code: 'whatsapp_100' });
    expect(result?.ok || result?.message).toContain('message_id is invalid');
  });

  it('maps a revoked token to unauthorized without echoing it', async () => {
    const { ctx } = fakeContext({ accessToken: 'revoked-token-7410' });
    const result = await whatsappChannel.typing?.(ctx, '16505551234', { replyTo: WAMID });
    expect(result).toMatchObject({ ok: false, retryable: false, code: 'unauthorized' });
    expect(JSON.stringify(result)).not.toContain('revoked-token-7410');
  });
});

describe('whatsapp markRead()', () => {
  it('builds the receipt with or without the indicator', () => {
    const id = markReadShape.body.message_id;
    expect({ messaging_product: 'whatsapp', ...readReceiptRequest(id, true) }).toEqual(markReadShape.body);
    expect(readReceiptRequest(id, false)).toEqual({ status: 'read', message_id: id });
  });

  it('marks read without typing when asked', async () => {
    const { ctx, sent } = fakeContext();
    expect(await markRead(ctx, WAMID, false)).toEqual({ ok: true, platformMessageIds: [] });
    expect(sent[0]?.body).toEqual({ messaging_product: 'whatsapp', status: 'read', message_id: WAMID });
  });
});

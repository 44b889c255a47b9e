import { describe, expect, it } from 'vitest';
import { escapeWhatsApp, toWhatsApp } from './format.ts';
import { whatsappChannel } from './index.ts';
import { mapWhatsAppError, WHATSAPP_MAX_MESSAGE_LENGTH } from './outbound.ts';
import { fakeContext } from './testing.ts';

const ZWSP = '\u200b';

describe('whatsapp format', () => {
  it('maps markdown emphasis to WhatsApp markers', () => {
    expect(toWhatsApp('**bold** *it* _it2_ ~~gone~~')).toBe('*bold* _it_ _it2_ ~gone~');
    expect(toWhatsApp('## Heading\n* one\n- two')).toBe('*Heading*\n• one\n• two');
    expect(toWhatsApp('see [docs](https://x.test/a_b)')).toBe('see docs (https://x.test/a_b)');
  });

  it('keeps code as monospace, unescaped', () => {
    expect(toWhatsApp('run `a*b*c`')).toBe('run `a*b*c`');
    expect(toWhatsApp('```py\nx = a_b * 2\n```')).toBe('```x = a_b * 2```');
  });

  it('neutralises literal markers so they cannot pair up', () => {
    expect(escapeWhatsApp('2*3*4')).toBe(`2*${ZWSP}3*${ZWSP}4`);
    expect(toWhatsApp('snake_case_name')).toBe(`snake_${ZWSP}case_${ZWSP}name`);
    expect(toWhatsApp('\\*not bold\\*')).toBe(`*${ZWSP}not bold*${ZWSP}`);
  });
});

describe('whatsapp send()', () => {
  it('posts a text message with the Bearer token in the documented shape', async () => {
    const { ctx, sent } = fakeContext();
    const result = await whatsappChannel.send(ctx, { conversationKey: '16505551234', text: 'Hi **Sheena**' });
    expect(result).toEqual({ ok: true, platformMessageIds: [expect.stringMatching(/^wamid\./)] });
    expect(sent[0]?.url).toBe(`${ctx.settings.apiBaseUrl}/v23.0/106540352242922/messages`);
    expect(sent[0]?.headers.get('authorization')).toBe('Bearer test-access-token');
    expect(sent[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '16505551234',
      type: 'text',
      text: { preview_url: false, body: 'Hi *Sheena*' },
    });
  });

  it('splits at 4096 characters without cutting words', async () => {
    const { ctx, sent } = fakeContext();
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(250);
    const result = await whatsappChannel.send(ctx, { conversationKey: '16505551234', text });
    expect(result.ok && result.platformMessageIds.length).toBe(sent.length);
    expect(sent.length).toBe(3);
    const bodies = sent.map(({ body }) => String((body.text as { body: string }).body));
    for (const body of bodies) expect(body.length).toBeLessThanOrEqual(WHATSAPP_MAX_MESSAGE_LENGTH);
    expect(bodies.join(' ')).toBe(text.trim());
  });

  it('maps 131047 (24-hour window expired) to a permanent failure', async () => {
    const result = await whatsappChannel.send(fakeContext().ctx, { conversationKey: '15550001047', text: 'hi' });
    expect(result).toMatchObject({ ok: false, retryable: false, code: 'window_expired' });
    expect(result.ok || result.message).toContain('24 hours');
  });

  it('maps the 130429 and 131056 rate limits to retries with a back-off', async () => {
    const throughput = await whatsappChannel.send(fakeContext().ctx, { conversationKey: '15550000429', text: 'hi' });
    expect(throughput).toMatchObject({ ok: false, retryable: true, code: 'rate_limited', retryAfterMs: 1000 });
    const pair = await whatsappChannel.send(fakeContext().ctx, { conversationKey: '15550001056', text: 'hi' });
    expect(pair).toMatchObject({ ok: false, retryable: true, code: 'rate_limited', retryAfterMs: 6000 });
    expect(mapWhatsAppError(429, null, '12')).toMatchObject({ retryable: true, retryAfterMs: 12_000 });
  });

  it('maps undeliverable to permanent, 5xx to retryable, a bad token to unauthorized', async () => {
    const send = (to: string, overrides: Record<string, unknown> = {}) =>
      whatsappChannel.send(fakeContext(overrides).ctx, { conversationKey: to, text: 'hi' });
    expect(await send('15550001026')).toMatchObject({ ok: false, retryable: false, code: 'blocked' });
    expect(await send('15550000500')).toMatchObject({ ok: false, retryable: true, code: 'whatsapp_131000' });
    const unauthorized = await send('16505551234', { accessToken: 'stolen-token-value' });
    expect(unauthorized).toMatchObject({ ok: false, retryable: false, code: 'unauthorized' });
    expect(JSON.stringify(unauthorized)).not.toContain('stolen-token-value');
    expect(await send('16505551234', { phoneNumberId: '999' })).toMatchObject({ ok: false, code: 'whatsapp_100' });
  });
});

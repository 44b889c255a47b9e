import { describe, expect, inject, it } from 'vitest';
import { runChannelContract } from '../../sdk/contracts/channel.contract.ts';
import { hmacSha256Hex } from '../../sdk/crypto.ts';
import type { InboundRequest } from '../../sdk/index.ts';
import { FIXED_EPOCH, fakeClock } from '../../sdk/testing/fakes.ts';
import deliveryEvent from './fixtures/delivery.json';
import audioBody from './fixtures/inbound-audio-attachment.json?raw';
import textBody from './fixtures/inbound-text.json?raw';
import readEvent from './fixtures/read.json';
import textVector from './fixtures/signature-vector.selfmade.json';
import escapedVector from './fixtures/signature-vector.selfmade-escaped-unicode.json';
import { formatMessenger } from './format.ts';
import { messengerChannel } from './index.ts';
import { sendMessengerTyping } from './outbound.ts';
import { MESSENGER_MAX_TEXT, splitMessenger } from './split.ts';

const apiBaseUrl = inject('fakeServers').messenger ?? '';
const settings = messengerChannel.settings.parse({
  pageAccessToken: 'test-page-token',
  appSecret: textVector.app_secret,
  verifyToken: 'verify-me',
  apiBaseUrl,
});
const URL_ = 'https://parley.test/webhooks/messenger/bot-1';

async function sign(rawBody: string): Promise<string> {
  return `sha256=${await hmacSha256Hex(settings.appSecret, rawBody)}`;
}

function request(rawBody: string, signature: string): InboundRequest {
  const headers = new Headers({ 'content-type': 'application/json', 'x-hub-signature-256': signature });
  return { method: 'POST', url: URL_, headers, rawBody };
}
const signed = async (rawBody: string) => request(rawBody, await sign(rawBody));
const envelope = (...messaging: unknown[]) =>
  JSON.stringify({ object: 'page', entry: [{ id: 'PAGE', time: FIXED_EPOCH, messaging }] });
const from = (extra: object) => ({
  sender: { id: 'psid-1' },
  recipient: { id: 'PAGE' },
  timestamp: FIXED_EPOCH,
  ...extra,
});

const context = ({ signal, clock }: { signal: AbortSignal; clock: ReturnType<typeof fakeClock> }) => ({
  settings,
  fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
  clock,
  signal,
});

runChannelContract(messengerChannel, {
  context,
  now: FIXED_EPOCH,
  samples: [
    {
      name: 'text with quick reply (official vector)',
      request: request(textBody, textVector.headers['X-Hub-Signature-256']),
    },
    { name: 'audio attachment', request: await signed(audioBody) },
    { name: 'delivery and read receipts', request: await signed(envelope(deliveryEvent, readEvent)), messages: 0 },
  ],
  signatureHeaders: ['x-hub-signature-256'],
  outbound: { conversationKey: 'psid-1', text: 'Hello **there**' },
  media: { mediaId: `${new URL(apiBaseUrl).origin}/cdn/contract-voice.mp4` },
});

describe('messenger verify and handshake', () => {
  it('accepts the escaped-unicode vector over the raw body, rejects the re-encoded one', async () => {
    const sig = escapedVector.headers['X-Hub-Signature-256'];
    const ok = request(escapedVector.raw_body, sig);
    expect(await messengerChannel.verify({ ...settings, appSecret: escapedVector.app_secret }, ok, 0)).toEqual({
      ok: true,
    });
    const reencoded = JSON.stringify(JSON.parse(escapedVector.raw_body));
    const bad = await messengerChannel.verify(settings, request(reencoded, sig), 0);
    expect(bad.ok).toBe(false);
  });

  it('echoes hub.challenge for the right verify token only', async () => {
    const get = (token: string): InboundRequest => ({
      method: 'GET',
      url: `${URL_}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`,
      headers: new Headers(),
      rawBody: '',
    });
    const good = messengerChannel.handshake?.(settings, get('verify-me'));
    expect(good?.status).toBe(200);
    expect(await good?.text()).toBe('1158201444');
    expect(messengerChannel.handshake?.(settings, get('wrong'))?.status).toBe(403);
  });
});

describe('messenger parse', () => {
  const parse = async (...events: unknown[]) =>
    messengerChannel.parse(await signed(envelope(...events)), settings).messages;

  it('reads the quick reply and the audio URL from the fixtures', async () => {
    const [reply] = messengerChannel.parse(await signed(textBody), settings).messages;
    expect(reply).toMatchObject({
      platformMessageId: 'mid.1457764197618:41d102a3e1ae206a38',
      conversationKey: '<PSID>',
      user: { id: '<PSID>' },
      content: { kind: 'reply', payload: '<DEVELOPER_DEFINED_PAYLOAD>', text: 'hello, world!' },
      sentAt: 1458692752478,
    });
    const [audio] = messengerChannel.parse(await signed(audioBody), settings).messages;
    expect(audio?.content).toEqual({ kind: 'audio', mediaId: '<ATTACHMENT_URL>' });
  });

  it('normalizes text, media, stickers, location, postbacks, reactions and edits; skips echoes', async () => {
    const messages = await parse(
      from({ message: { mid: 'm1', text: 'hi' } }),
      from({
        message: {
          mid: 'm2',
          text: 'look',
          attachments: [
            { type: 'image', payload: { url: 'https://x/i.jpg' } },
            { type: 'file', payload: { url: 'https://x/f.pdf' } },
          ],
        },
      }),
      from({
        message: {
          mid: 'm3',
          sticker_id: 369239263222822,
          attachments: [{ type: 'image', payload: { url: 'https://x/s.png', sticker_id: 369239263222822 } }],
        },
      }),
      from({
        message: {
          mid: 'm4',
          attachments: [{ type: 'location', title: 'Home', payload: { coordinates: { lat: 1.5, long: 2.5 } } }],
        },
      }),
      from({ postback: { mid: 'm5', title: 'Yes', payload: 'YES' } }),
      from({ reaction: { mid: 'm1', action: 'react', reaction: 'love', emoji: '❤' } }),
      from({ message_edit: { mid: 'm1', text: 'hello', num_edit: 1 } }),
      from({ message: { mid: 'm6', text: 'bot said', is_echo: true } }),
    );
    expect(messages.map((message) => [message.platformMessageId, message.content])).toEqual([
      ['m1', { kind: 'text', text: 'hi' }],
      ['m2', { kind: 'image', mediaId: 'https://x/i.jpg', caption: 'look' }],
      ['m2#1', { kind: 'document', mediaId: 'https://x/f.pdf' }],
      ['m3', { kind: 'sticker', mediaId: 'https://x/s.png' }],
      ['m4', { kind: 'location', latitude: 1.5, longitude: 2.5, name: 'Home' }],
      ['m5', { kind: 'reply', payload: 'YES', text: 'Yes' }],
      [`reaction:m1:psid-1:${FIXED_EPOCH}`, { kind: 'reaction', emoji: '❤', targetMessageId: 'm1' }],
      ['m1:edit:1', { kind: 'edit', targetMessageId: 'm1', text: 'hello' }],
    ]);
  });

  it('ignores other objects and malformed bodies', async () => {
    expect(messengerChannel.parse(await signed('{"object":"instagram","entry":[]}'), settings).messages).toEqual([]);
    expect(messengerChannel.parse(await signed('not json'), settings).messages).toEqual([]);
  });
});

describe('messenger format and split', () => {
  it('renders markdown as plain text', () => {
    expect(formatMessenger('# Title\n**bold** and _it_ and `code`\n- [docs](https://x.test) <tag> & co')).toBe(
      'Title\nbold and it and code\n• docs (https://x.test) <tag> & co',
    );
  });

  it('splits long replies at 2000 characters between words', () => {
    const words = Array.from({ length: 900 }, (_, i) => `word${i}`).join(' ');
    const chunks = splitMessenger(words);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(MESSENGER_MAX_TEXT);
    expect(chunks.join(' ')).toBe(words);
  });
});

describe('messenger send against the fake Send API', () => {
  const ctx = () => context({ signal: new AbortController().signal, clock: fakeClock() });

  it('posts one RESPONSE message per chunk with the page token', async () => {
    const result = await messengerChannel.send(ctx(), { conversationKey: 'psid-1', text: 'x '.repeat(1500) });
    expect(result).toMatchObject({ ok: true });
    if (result.ok) expect(result.platformMessageIds).toHaveLength(2);
  });

  it('sends typing_on', async () => {
    expect(await sendMessengerTyping(ctx(), 'psid-1')).toEqual({ ok: true, platformMessageIds: [] });
  });

  it('maps rate limits, the 24-hour window, blocked users, 5xx and bad tokens', async () => {
    const send = (psid: string) => messengerChannel.send(ctx(), { conversationKey: psid, text: 'hi' });
    expect(await send('psid-ratelimited')).toMatchObject({
      ok: false,
      retryable: true,
      code: 'rate_limited',
      retryAfterMs: 60_000,
    });
    expect(await send('psid-window')).toMatchObject({ ok: false, retryable: false, code: 'outside_window' });
    expect(await send('psid-blocked')).toMatchObject({ ok: false, retryable: false, code: 'user_unavailable' });
    expect(await send('psid-500')).toMatchObject({ ok: false, retryable: true, code: 'server_error' });
    const badToken = { ...ctx(), settings: { ...settings, pageAccessToken: 'nope' } };
    expect(await messengerChannel.send(badToken, { conversationKey: 'psid-1', text: 'hi' })).toMatchObject({
      ok: false,
      retryable: false,
      code: 'invalid_token',
    });
  });
});

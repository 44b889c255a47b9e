import { describe, expect, it } from 'vitest';
import { runChannelContract } from '../../sdk/contracts/channel.contract.ts';
import { hmacSha256Hex } from '../../sdk/crypto.ts';
import type { InboundRequest } from '../../sdk/index.ts';
import { FIXED_EPOCH } from '../../sdk/testing/fakes.ts';
import audioBody from './fixtures/inbound-audio-voice.json?raw';
import textBody from './fixtures/inbound-text.json?raw';
import vector from './fixtures/signature-vector.selfmade.json';
import deliveredBody from './fixtures/status-delivered.json?raw';
import failedBody from './fixtures/status-failed-24h-window.json?raw';
import { whatsappChannel } from './index.ts';
import { fakeContext, inboundEnvelope, settingsFor } from './testing.ts';

const HEADER = 'x-hub-signature-256';
const URL_BASE = 'https://parley.test/webhooks/whatsapp/ch_1';

function webhook(rawBody: string, signature: string): InboundRequest {
  const headers = new Headers({ 'content-type': 'application/json', [HEADER]: signature });
  return { method: 'POST', url: URL_BASE, headers, rawBody };
}
/** Signs like Meta: "sha256=" + HMAC-SHA256(app secret, raw body). */
const signed = async (rawBody: string) => webhook(rawBody, `sha256=${await hmacSha256Hex(vector.app_secret, rawBody)}`);

const envelope = (message: Record<string, unknown>) => inboundEnvelope(message);
const kinds: Record<string, [Record<string, unknown>, unknown]> = {
  image: [
    { type: 'image', image: { id: 'img-1', mime_type: 'image/jpeg', caption: 'this one' } },
    { kind: 'image', mediaId: 'img-1', mimeType: 'image/jpeg', caption: 'this one' },
  ],
  video: [
    { type: 'video', video: { id: 'vid-1', mime_type: 'video/mp4' } },
    { kind: 'video', mediaId: 'vid-1', mimeType: 'video/mp4' },
  ],
  document: [
    { type: 'document', document: { id: 'doc-1', mime_type: 'application/pdf', filename: 'a.pdf' } },
    { kind: 'document', mediaId: 'doc-1', mimeType: 'application/pdf' },
  ],
  sticker: [
    { type: 'sticker', sticker: { id: 'stk-1', mime_type: 'image/webp', animated: false } },
    { kind: 'sticker', mediaId: 'stk-1', mimeType: 'image/webp' },
  ],
  audio: [
    { type: 'audio', audio: { id: 'aud-1', mime_type: 'audio/mpeg', voice: false } },
    { kind: 'audio', mediaId: 'aud-1', mimeType: 'audio/mpeg' },
  ],
  location: [
    { type: 'location', location: { latitude: 37.48, longitude: -122.15, name: 'Meta HQ', address: '1 Hacker Way' } },
    { kind: 'location', latitude: 37.48, longitude: -122.15, name: 'Meta HQ' },
  ],
  contacts: [
    {
      type: 'contacts',
      contacts: [
        {
          name: { formatted_name: 'Ada Lovelace', first_name: 'Ada' },
          phones: [{ phone: '+1 555 0100', wa_id: '15550100', type: 'CELL' }],
        },
      ],
    },
    { kind: 'contact', name: 'Ada Lovelace', phone: '+1 555 0100' },
  ],
  button_reply: [
    { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } } },
    { kind: 'reply', payload: 'yes', text: 'Yes' },
  ],
  list_reply: [
    {
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: { id: 'row-2', title: 'Blue', description: 'b' } },
    },
    { kind: 'reply', payload: 'row-2', text: 'Blue' },
  ],
  template_button: [
    { type: 'button', button: { payload: 'STOP', text: 'Stop promotions' } },
    { kind: 'reply', payload: 'STOP', text: 'Stop promotions' },
  ],
  reaction: [
    { type: 'reaction', reaction: { message_id: 'wamid.OUT-1', emoji: '👍' } },
    { kind: 'reaction', emoji: '👍', targetMessageId: 'wamid.OUT-1' },
  ],
};

runChannelContract(whatsappChannel, {
  context: ({ signal, clock }) => ({ ...fakeContext().ctx, clock, signal }),
  now: FIXED_EPOCH,
  samples: [
    {
      name: 'official text message (signature vector)',
      request: webhook(textBody, vector.headers['X-Hub-Signature-256']),
    },
    { name: 'voice note', request: await signed(audioBody) },
    { name: 'status delivered (ignored)', request: await signed(deliveredBody), messages: 0 },
    { name: 'status failed 131047 (ignored)', request: await signed(failedBody), messages: 0 },
    ...(await Promise.all(
      Object.entries(kinds).map(async ([name, [m]]) => ({ name, request: await signed(envelope(m)) })),
    )),
  ],
  signatureHeaders: [HEADER],
  outbound: { conversationKey: '16505551234', text: 'Yes, it *also* comes in **blue**.' },
  media: { mediaId: '1046437726929427' },
});

describe('whatsapp handshake()', () => {
  const get = (query: string): InboundRequest => ({
    method: 'GET',
    url: `${URL_BASE}?${query}`,
    headers: new Headers(),
    rawBody: '',
  });

  it('echoes hub.challenge as plain text when the verify token matches', async () => {
    const response = whatsappChannel.handshake?.(
      settingsFor(),
      get('hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=fixture-verify-token'),
    );
    expect(response?.status).toBe(200);
    expect(await response?.text()).toBe('1158201444');
  });

  it('answers 403 to a wrong token or mode, and null to other requests', () => {
    const settings = settingsFor();
    expect(
      whatsappChannel.handshake?.(settings, get('hub.mode=subscribe&hub.challenge=1&hub.verify_token=nope'))?.status,
    ).toBe(403);
    expect(
      whatsappChannel.handshake?.(
        settings,
        get('hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=fixture-verify-token'),
      )?.status,
    ).toBe(403);
    expect(whatsappChannel.handshake?.(settings, get('foo=bar'))).toBeNull();
  });
});

describe('whatsapp verify()', () => {
  it('rejects the vector signed with the wrong secret', async () => {
    const request = webhook(textBody, vector.negative.headers['X-Hub-Signature-256']);
    expect(await whatsappChannel.verify(settingsFor(), request, FIXED_EPOCH)).toMatchObject({ ok: false, status: 401 });
  });

  it('verifies the raw bytes, not re-serialized JSON', async () => {
    const request = webhook(JSON.stringify(JSON.parse(textBody)), vector.headers['X-Hub-Signature-256']);
    expect((await whatsappChannel.verify(settingsFor(), request, FIXED_EPOCH)).ok).toBe(false);
  });
});

describe('whatsapp parse()', () => {
  const only = (rawBody: string) => {
    const { messages } = whatsappChannel.parse(webhook(rawBody, 'unused'), settingsFor());
    expect(messages).toHaveLength(1);
    return messages[0];
  };

  it('reads the official text message', () => {
    expect(only(textBody)).toEqual({
      platformMessageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
      conversationKey: '16505551234',
      user: { id: '16505551234', name: 'Sheena Nelson', phone: '+16505551234' },
      content: { kind: 'text', text: 'Does it come in another color?' },
      sentAt: 1749416383000,
      addressed: true,
      raw: { phoneNumberId: '106540352242922' },
    });
  });

  it('reads a voice note as voice', () => {
    expect(only(audioBody)?.content).toEqual({
      kind: 'voice',
      mediaId: '1234567890123456',
      mimeType: 'audio/ogg; codecs=opus',
    });
  });

  for (const [name, [message, content]] of Object.entries(kinds)) {
    it(`reads ${name}`, () => expect(only(envelope(message))?.content).toEqual(content));
  }

  it('ignores statuses, removed reactions, unsupported types and foreign objects', () => {
    for (const body of [
      deliveredBody,
      failedBody,
      envelope({ type: 'reaction', reaction: { message_id: 'wamid.OUT-1', emoji: '' } }),
      envelope({ type: 'unsupported', errors: [{ code: 131051 }] }),
      '{"object":"page","entry":[]}',
      'not json',
    ]) {
      expect(whatsappChannel.parse(webhook(body, 'unused'), settingsFor()).messages).toEqual([]);
    }
  });
});
